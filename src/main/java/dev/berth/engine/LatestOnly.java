package dev.berth.engine;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs an action on a thread of its own with the latest value handed to it: values handed while
 * it runs coalesce into one more run with the last of them, so a level-triggered action (make
 * the engine look like this) never falls behind and never runs for a value already replaced.
 * {@link #offer} returns at once. An action that throws is logged; later values still run. The
 * thread ends after a short idle time, so a daemon at rest holds none.
 */
final class LatestOnly<T> {
    private static final Logger LOG = Logger.getLogger(LatestOnly.class);

    private final AtomicReference<T> latest = new AtomicReference<>();
    private final ThreadPoolExecutor thread;
    private final Consumer<T> action;
    private final String name;

    LatestOnly(String name, Consumer<T> action) {
        this.name = name;
        this.action = action;
        this.thread = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        this.thread.allowCoreThreadTimeOut(true);
    }

    /** Runs the action with {@code value} soon, unless a later value replaces it first. Not null. */
    void offer(T value) {
        if (latest.getAndSet(java.util.Objects.requireNonNull(value)) == null) {
            thread.execute(this::drain);
        }
    }

    private void drain() {
        T value = latest.getAndSet(null);
        if (value == null) {
            return;
        }
        try {
            action.accept(value);
        } catch (RuntimeException e) {
            LOG.warnf(e, "%s failed", name);
        }
    }
}
