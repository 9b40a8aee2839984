package dev.berth.reconcile;

import dev.berth.engine.DockerEngine;
import dev.berth.plan.Action;
import dev.berth.proxy.TrafficSwitch;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Replicas Berth takes away: out of the proxy at once, drained (in-flight requests finish or the
 * drain deadline passes), then stopped and removed, in the background. While that runs the
 * replica is {@link #leaving()}: counted by the planner, never acted on, never routed. After it
 * is gone it stays in {@link #leaving()} until a view of the engine without it was taken, so a
 * view from before its removal can never route traffic to it again. A removal that fails (the
 * engine went away) is not gone: after {@link #RETRY_PAUSE} it stops leaving, and the next pass
 * plans it again.
 */
final class Removals implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Removals.class);
    /** How long a container whose removal failed stays leaving before a pass may plan it again. */
    static final java.time.Duration RETRY_PAUSE = java.time.Duration.ofSeconds(5);

    private final DockerEngine engine;
    private final TrafficSwitch proxy;
    private final Consumer<String> wake;
    private final Set<String> terminating = ConcurrentHashMap.newKeySet();
    private final Set<String> gone = ConcurrentHashMap.newKeySet();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "berth-remove");
        t.setDaemon(true);
        return t;
    });

    Removals(DockerEngine engine, TrafficSwitch proxy, Consumer<String> wake) {
        this.engine = engine;
        this.proxy = proxy;
        this.wake = wake;
    }

    /** Containers being removed, and removed ones the latest view may still list. A copy. */
    Set<String> leaving() {
        Set<String> out = new HashSet<>(terminating);
        out.addAll(gone);
        return out;
    }

    boolean isLeaving(String containerId) {
        return terminating.contains(containerId) || gone.contains(containerId);
    }

    /** A new view of the engine lists {@code present}: whatever it no longer lists is truly gone. */
    void observed(Collection<String> present) {
        gone.retainAll(Set.copyOf(present));
    }

    /** Idempotent: a container already leaving is not drained twice. */
    void remove(Action.RemoveContainer r) {
        String id = r.container().id();
        if (!terminating.add(id)) {
            return;
        }
        var draining = proxy.drain(id, r.drain());
        pool.submit(() -> {
            boolean removed = false;
            try {
                draining.join();
                engine.stopAndRemove(id, r.grace());
                removed = true;
            } catch (RuntimeException e) {
                // An engine that went away mid-removal (a restart) leaves the container; counting it
                // as gone would keep it "leaving" for as long as it exists, an orphan nobody
                // removes. Instead it leaves after a pause and the next pass plans its removal again.
                LOG.errorf("service=%s removing %s failed: %s; trying again in %ds", r.service(),
                        r.container().name(), e.getMessage(), RETRY_PAUSE.toSeconds());
                pause();
            } finally {
                if (removed) {
                    gone.add(id);
                }
                terminating.remove(id);
                wake.accept((removed ? "removed " : "removal to retry: ") + r.container().name());
            }
        });
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
