package dev.berth.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs independent read calls to the engine side by side, at most {@code width} at once, and
 * answers in the order asked. While dockerd is busy creating containers, one inspect takes
 * hundreds of milliseconds; asked one after the other, a pass over 200 containers then waits
 * tens of seconds, and passes are what dispatch work and notice readiness.
 *
 * <p>Its threads end after a short idle time, so a daemon at rest holds none. Contract of
 * {@link #map}: the first failure (in the order asked) is thrown as the call threw it, and the
 * calls not yet begun are then not made (a silent engine costs one bound, not one per call).
 * The calls must be reads: one that had begun may still end after the failure is thrown.
 */
final class Fanout implements AutoCloseable {
    private final ThreadPoolExecutor pool;

    Fanout(int width, String name) {
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(width, width, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    /** {@code call} applied to each of {@code in}, in order (null answers kept). */
    <I, O> List<O> map(List<I> in, Function<I, O> call) throws InterruptedException {
        List<O> out = new ArrayList<>(in.size());
        if (in.size() <= 1) {
            for (I i : in) {
                out.add(call.apply(i));
            }
            return out;
        }
        List<Future<O>> futures = new ArrayList<>(in.size());
        for (I i : in) {
            futures.add(pool.submit(() -> call.apply(i)));
        }
        RuntimeException failed = null;
        try {
            for (Future<O> f : futures) {
                if (failed != null) {
                    f.cancel(false);
                    continue;
                }
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    failed = rethrowable(e.getCause());
                    futures.forEach(other -> other.cancel(false));
                }
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
        if (failed != null) {
            throw failed;
        }
        return out;
    }

    private static RuntimeException rethrowable(Throwable cause) {
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(cause);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
