package dev.berth.health;

import dev.berth.observed.ReplicaHealth;

import dev.berth.engine.DockerEngine;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Probes every running replica on its own schedule and keeps the latest {@link ReplicaHealth}
 * of each. The reconciler tells it which replicas exist ({@link #sync}); every state change is
 * logged and reported to {@code onChange}, which wakes the reconcile loop.
 */
public final class HealthMonitor implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HealthMonitor.class);

    private final Probes probes;
    private final Consumer<String> onChange;
    private final ScheduledExecutorService pool = Executors.newScheduledThreadPool(4, r -> {
        Thread t = new Thread(r, "berth-probe");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Watched> watched = new ConcurrentHashMap<>();

    /**
     * One watched replica and its next probe. Each probe schedules the next one, at the pace its
     * health asks for ({@link dev.berth.desired.HealthCheck#probeEvery}); {@link #stop} ends the
     * chain (a probe running meanwhile schedules nothing more).
     */
    private static final class Watched {
        final ProbeTarget target;
        private volatile ScheduledFuture<?> next;
        private volatile boolean stopped;

        Watched(ProbeTarget target) {
            this.target = target;
        }

        ProbeTarget target() {
            return target;
        }

        void stop() {
            stopped = true;
            ScheduledFuture<?> f = next;
            if (f != null) {
                f.cancel(false);
            }
        }
    }

    private final Map<String, ReplicaHealth> health = new ConcurrentHashMap<>();
    /** Seeded replicas not watched yet; {@link #sync} adopts or forgets them. Guarded by this. */
    private final java.util.Set<String> seeded = new java.util.HashSet<>();
    /** Replicas started before this monitor existed were adopted from a previous daemon. */
    private final Instant since = Instant.now();

    public HealthMonitor(DockerEngine engine, Consumer<String> onChange) {
        this.probes = new Probes(engine);
        this.onChange = onChange;
    }

    /** Starts watching new replicas and forgets those no longer listed. Idempotent. */
    public synchronized void sync(Collection<ProbeTarget> targets) {
        Map<String, ProbeTarget> want = new HashMap<>();
        targets.forEach(t -> want.put(t.containerId(), t));
        // A replica whose healthcheck changed (same run) stays READY, so editing a probe takes no
        // replica out of the proxy; the new probe demotes it after `retries` failures as usual.
        // Any other verdict was made with the old probe and starts over.
        Map<String, ReplicaHealth> carried = new HashMap<>();
        for (var it = watched.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            ProbeTarget now = want.get(e.getKey());
            if (now == null || !same(now, e.getValue().target())) {
                e.getValue().stop();
                ReplicaHealth was = health.remove(e.getKey());
                if (now != null && java.util.Objects.equals(now.startedAt(), e.getValue().target().startedAt())
                        && was != null && was.state() == ReplicaHealth.State.READY) {
                    carried.put(e.getKey(), new ReplicaHealth(ReplicaHealth.State.READY, 0, was.readySince(), null, null));
                }
                it.remove();
            }
        }
        // A replica without a healthcheck turns ready here, not in a probe: the pass that synced it
        // planned with the health it had before, so it must hear of it like of any probe's verdict
        // (else the last replica of a rollout waits for the next event or resync to count).
        java.util.Set<String> readyUnprobed = new java.util.TreeSet<>();
        for (ProbeTarget t : want.values()) {
            if (watched.containsKey(t.containerId())) {
                continue;
            }
            if (t.check() == null) {
                // No healthcheck: ready from the moment it runs (minReadySeconds is applied by readers).
                Instant since = t.startedAt() == null ? Instant.now() : t.startedAt();
                health.put(t.containerId(), new ReplicaHealth(ReplicaHealth.State.READY, 0, since, null, null));
                watched.put(t.containerId(), new Watched(t));
                readyUnprobed.add(t.service());
                continue;
            }
            ReplicaHealth first = carried.get(t.containerId());
            if (first == null && seeded.remove(t.containerId())) {
                first = Seeding.adopt(health.get(t.containerId()), t.startedAt());
            }
            health.put(t.containerId(), first == null ? ReplicaHealth.STARTING : first);
            Watched w = new Watched(t);
            watched.put(t.containerId(), w);
            schedule(w, 0);
        }
        // A seeded replica that is not running any more is forgotten like any other.
        seeded.forEach(id -> {
            if (!watched.containsKey(id)) {
                health.remove(id);
            }
        });
        seeded.clear();
        if (!readyUnprobed.isEmpty()) {
            onChange.accept("ready without a healthcheck: " + String.join(", ", readyUnprobed));
        }
    }

    /**
     * Replicas the data plane served when this daemon started: READY (not STARTING) until a probe
     * says otherwise, so the first passes keep them in the proxy. Only a replica with no verdict
     * yet is seeded; one already probed keeps its verdict. Safe from any thread, before or after
     * the first {@link #sync}.
     */
    public synchronized void seed(java.util.Set<String> containerIds) {
        for (String id : containerIds) {
            Watched w = watched.get(id);
            ReplicaHealth next = Seeding.seed(health.get(id), w == null ? null : w.target().startedAt());
            if (next != null) {
                health.put(id, next);
                if (w == null) {
                    seeded.add(id);
                }
            }
        }
    }

    private static boolean same(ProbeTarget a, ProbeTarget b) {
        return java.util.Objects.equals(a.check(), b.check()) && java.util.Objects.equals(a.host(), b.host())
                && java.util.Objects.equals(a.port(), b.port())
                && java.util.Objects.equals(a.startedAt(), b.startedAt());
    }

    private void schedule(Watched w, long delayMillis) {
        if (w.stopped) {
            return;
        }
        try {
            w.next = pool.schedule(() -> {
                if (w.stopped) {
                    return;
                }
                probe(w.target);
                ReplicaHealth h = health.get(w.target.containerId());
                boolean starting = h == null || h.state() == ReplicaHealth.State.STARTING;
                schedule(w, Math.max(50, w.target.check().probeEvery(starting).toMillis()));
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the monitor is closing
        }
    }

    private void probe(ProbeTarget t) {
        try {
            String error = probes.run(t);
            ReplicaHealth cur = health.get(t.containerId());
            if (cur == null) {
                return; // forgotten meanwhile
            }
            ReplicaHealth next = ReplicaHealth.next(cur, error == null, error, t.check(), t.startedAt(), Instant.now());
            if (cur.state() == ReplicaHealth.State.STARTING && next.state() == ReplicaHealth.State.READY
                    && t.startedAt() != null && t.startedAt().isBefore(since)) {
                // Adopted after a daemon restart: it has run since before we looked, so the
                // minReadySeconds clock counts from its start, not from now; otherwise a restarted
                // daemon would see every replica as unavailable and roll as if none served.
                next = new ReplicaHealth(ReplicaHealth.State.READY, 0, t.startedAt(), null, null);
            }
            health.put(t.containerId(), next);
            if (next.state() != cur.state()) {
                LOG.infof("service=%s revision=%d replica %s health %s → %s%s", t.service(), t.revision(),
                        t.containerId().substring(0, Math.min(12, t.containerId().length())), cur.state(), next.state(),
                        error == null ? "" : " (" + error + ")");
                onChange.accept("health of " + t.service());
            }
        } catch (RuntimeException e) {
            LOG.debugf("probe of %s failed to run: %s", t.containerId(), e);
        }
    }

    /** The latest health of every watched replica, by container id. */
    public Map<String, ReplicaHealth> snapshot() {
        return Map.copyOf(health);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
