package dev.berth.reconcile;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs each service's slow work (engine calls, pulls) on a bounded pool, never two jobs of one
 * service at once — controller-runtime's work queue, keyed by service name. A job of one service
 * never waits for another service's job beyond the pool's size.
 *
 * <p>Contract with the planning pass: a pass may dispatch work for a service only if that service
 * is idle now <em>and</em> no job of it finished after the pass started observing the engine
 * ({@link #mark()} then {@link #idleSince}); otherwise the pass planned from a view that misses the
 * job's effect (a create it would repeat). Every finished job calls {@code onDone}, which asks for
 * a new pass, so dropped work is planned again from a fresh view.
 */
final class ServiceWorkers implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ServiceWorkers.class);

    private final String name;
    private final ExecutorService pool;
    private final Consumer<String> onDone;
    private final Map<String, Long> running = new ConcurrentHashMap<>();
    private final Map<String, Long> finished = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong();

    ServiceWorkers(String name, int threads, Consumer<String> onDone) {
        this.name = name;
        this.onDone = onDone;
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor p = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "berth-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        p.allowCoreThreadTimeOut(true);
        this.pool = p;
    }

    /** A point in this pool's history; take it before observing the engine. */
    long mark() {
        return clock.get();
    }

    /** True when {@code service} has no job running and none finished after {@code mark}. */
    boolean idleSince(String service, long mark) {
        return !running.containsKey(service) && finished.getOrDefault(service, Long.MIN_VALUE) <= mark;
    }

    boolean busy(String service) {
        return running.containsKey(service);
    }

    /**
     * Runs {@code job} for {@code service} unless one is already running; answers whether it was
     * accepted. A job's exceptions are its own business: they are logged here only as a last resort.
     */
    boolean submit(String service, String what, Runnable job) {
        if (running.putIfAbsent(service, clock.get()) != null) {
            return false;
        }
        try {
            pool.execute(() -> {
                try {
                    job.run();
                } catch (RuntimeException e) {
                    LOG.errorf(e, "service=%s %s failed unexpectedly", service, what);
                } finally {
                    finished.put(service, clock.incrementAndGet());
                    running.remove(service);
                    onDone.accept(what + " of " + service + " done");
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            running.remove(service);
            LOG.debugf("%s pool closed; %s of %s not run", name, what, service);
            return false;
        }
    }

    /** Forgets services that no longer exist, so the map does not grow with renames. */
    void retain(java.util.Set<String> services) {
        finished.keySet().retainAll(services);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
