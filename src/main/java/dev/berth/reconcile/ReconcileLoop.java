package dev.berth.reconcile;

import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Runs {@link ReconcileBackend#pass} on one thread. Triggers (file changes, engine events, the
 * periodic resync) only set a flag: however many arrive during a pass, one more pass follows.
 * Between triggers the loop still wakes when the last pass asked to (a backoff running out).
 * A pass that throws is logged and retried after a pause; the loop itself never dies.
 */
public final class ReconcileLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReconcileLoop.class);
    private static final Duration ERROR_PAUSE = Duration.ofSeconds(2);

    private final ReconcileBackend reconciler;
    private final Object lock = new Object();
    private final Thread thread;
    private boolean pending = true;
    /** The next pass asks the engine afresh rather than trusting the event stream (the first pass and the resync). */
    private boolean fresh = true;
    private boolean closed;
    private Instant wakeAt;
    private volatile Instant lastPassEnd;
    private volatile Instant passStartedAt;
    private volatile boolean firstPassDone;
    private volatile long passes;
    private volatile long failedPasses;

    private final dev.berth.metrics.BerthMetrics metrics;

    public ReconcileLoop(ReconcileBackend reconciler, dev.berth.metrics.BerthMetrics metrics) {
        this.reconciler = reconciler;
        this.metrics = metrics;
        this.thread = new Thread(this::run, "berth-reconciler");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Asks for a pass soon; cheap and safe from any thread. */
    public void trigger(String reason) {
        synchronized (lock) {
            if (!pending) {
                LOG.debugf("pass requested: %s", reason);
            }
            pending = true;
            lock.notifyAll();
        }
    }

    /**
     * Asks for a pass that sees the engine afresh: what no event tells (a network removed by
     * hand) is noticed here, at the latest.
     */
    public void resync(String reason) {
        synchronized (lock) {
            fresh = true;
        }
        trigger(reason);
    }

    private void run() {
        while (true) {
            boolean passFresh;
            synchronized (lock) {
                while (!closed && !pending && (wakeAt == null || Instant.now().isBefore(wakeAt))) {
                    long ms = wakeAt == null ? 60_000 : Math.max(1, Duration.between(Instant.now(), wakeAt).toMillis());
                    try {
                        lock.wait(ms);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                pending = false;
                wakeAt = null;
                passFresh = fresh;
                fresh = false;
            }
            passStartedAt = Instant.now();
            Instant next;
            try {
                next = reconciler.pass(passFresh);
                firstPassDone = true;
            } catch (RuntimeException | Error e) {
                LOG.error("reconcile pass failed; retrying", e);
                synchronized (lock) {
                    fresh = true;
                }
                metrics.passError();
                failedPasses++;
                next = Instant.now().plus(ERROR_PAUSE);
            }
            metrics.pass(Duration.between(passStartedAt, Instant.now()));
            passes++;
            lastPassEnd = Instant.now();
            passStartedAt = null;
            synchronized (lock) {
                if (next != null && (wakeAt == null || next.isBefore(wakeAt))) {
                    wakeAt = next;
                }
            }
        }
    }

    /** True when the loop finished a pass recently or is in one that has not run for too long. */
    public boolean isAlive(Duration tolerance) {
        Instant started = passStartedAt;
        if (started != null) {
            return Duration.between(started, Instant.now()).compareTo(tolerance) < 0;
        }
        return thread.isAlive();
    }

    public boolean firstPassDone() {
        return firstPassDone;
    }

    public Instant lastPassEnd() {
        return lastPassEnd;
    }

    /** Passes that threw (a bug): also counted in the {@code berth.reconcile.errors} metric. */
    public long failedPasses() {
        return failedPasses;
    }

    public long passes() {
        return passes;
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
