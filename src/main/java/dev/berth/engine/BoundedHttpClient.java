package dev.berth.engine;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds how long the engine may take to start answering a request. A dockerd stuck on a lock
 * accepts the request and answers nothing; socket read timeouts would catch that on TCP, but
 * docker-java's unix-socket transport has none, so the bound is kept here: each request runs on a
 * thread of its own and the caller stops waiting at the bound ({@link EngineSilent}).
 *
 * <p>A request given up on is left to finish: the engine may still carry it out late (the planner
 * copes with a container it did not expect), and its answer, if one ever comes, is closed unread.
 * While {@link #MAX_OVERDUE} such requests are outstanding, new ones fail at once instead of
 * joining them: an engine that answers nothing gets no more than that many hung connections and
 * threads from Berth, and they go when it answers or its socket breaks.
 */
final class BoundedHttpClient implements DockerHttpClient {
    static final int MAX_OVERDUE = 8;

    private static final int RUNNING = 0;
    private static final int ANSWERED = 1;
    private static final int ABANDONED = 2;

    private final DockerHttpClient delegate;
    private final Duration bound;
    private final AtomicInteger overdue = new AtomicInteger();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "engine-request");
        t.setDaemon(true);
        return t;
    });

    BoundedHttpClient(DockerHttpClient delegate, Duration bound) {
        this.delegate = delegate;
        this.bound = bound;
    }

    /** The engine did not start answering within the bound, or has too many requests unanswered. */
    static final class EngineSilent extends RuntimeException {
        EngineSilent(String message) {
            super(message);
        }
    }

    @Override
    public Response execute(Request request) {
        String what = request.method() + " " + request.path();
        int unanswered = overdue.get();
        if (unanswered >= MAX_OVERDUE) {
            throw new EngineSilent("the engine has not answered " + unanswered + " earlier requests; " + what
                    + " not sent");
        }
        AtomicInteger state = new AtomicInteger(RUNNING);
        Future<Response> answer = threads.submit(() -> {
            Response r = delegate.execute(request);
            if (!state.compareAndSet(RUNNING, ANSWERED)) {
                overdue.decrementAndGet();
                r.close();
                return null;
            }
            return r;
        });
        boolean interrupted = false;
        try {
            return answer.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | InterruptedException e) {
            interrupted = e instanceof InterruptedException;
            if (state.compareAndSet(RUNNING, ABANDONED)) {
                overdue.incrementAndGet();
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                throw new EngineSilent("the engine did not answer " + what + " within " + seconds(bound));
            }
            return answered(answer, interrupted);
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    /** The answer came just as the caller gave up waiting: take it after all. */
    private static Response answered(Future<Response> answer, boolean interrupted) {
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineSilent("interrupted");
        } catch (ExecutionException e) {
            throw unwrap(e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static RuntimeException unwrap(ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException re) {
            return re;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new RuntimeException(cause);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    @Override
    public void close() throws IOException {
        threads.shutdownNow();
        delegate.close();
    }
}
