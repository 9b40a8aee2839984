package dev.berth.reconcile;

import dev.berth.desired.DesiredState;
import dev.berth.desired.ServiceSpec;
import dev.berth.engine.DockerEngine;
import dev.berth.files.AtomicFiles;
import dev.berth.observed.ObservedContainer;
import dev.berth.observed.ObservedState;
import dev.berth.plan.Action;
import dev.berth.proxy.TrafficSwitch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
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
 *
 * <p>What is being removed is written down ({@code leaving} in the state directory), so a daemon
 * that restarts mid-removal finishes the removals it began ({@link #resume}) rather than count
 * those replicas as serving again: as a terminating pod stays terminating whatever happens to
 * its controller. Without the file (lost, unreadable) the planner decides afresh, which is safe.
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

    private final Path file;
    /** Read from {@link #file} at start, taken by the first {@link #resume}. */
    private Set<String> interrupted;

    Removals(DockerEngine engine, TrafficSwitch proxy, Path file, Consumer<String> wake) {
        this.engine = engine;
        this.proxy = proxy;
        this.file = file;
        this.wake = wake;
        this.interrupted = read(file);
    }

    private static Set<String> read(Path file) {
        try {
            Set<String> ids = new HashSet<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.matches("[0-9a-f]{12,64}")) {
                    ids.add(line);
                }
            }
            return ids;
        } catch (NoSuchFileException e) {
            return Set.of();
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot read %s (%s): removals begun before this start are planned afresh", file, e.getMessage());
            return Set.of();
        }
    }

    /**
     * Once, on the first view of the engine after a start: takes up again the removals the last
     * process had begun, for the containers that still exist (its drain and grace from the
     * service's spec, or the defaults for a service no longer declared). Returns how many.
     */
    int resume(ObservedState observed, DesiredState desired) {
        Set<String> ids = interrupted;
        if (ids.isEmpty()) {
            return 0;
        }
        interrupted = Set.of();
        int resumed = 0;
        for (ObservedContainer c : observed.containers()) {
            if (!ids.contains(c.id()) || isLeaving(c.id())) {
                continue;
            }
            ServiceSpec spec = desired.services().get(c.service());
            Duration grace = spec != null ? spec.stopGracePeriod() : Duration.ofSeconds(10);
            Duration drain = spec != null ? spec.update().drain() : Duration.ZERO;
            LOG.infof("service=%s revision=%d remove %s (its removal was begun before this start)", c.service(),
                    c.revision(), c.name());
            remove(new Action.RemoveContainer(c, grace, drain, "removal begun before a restart"));
            resumed++;
        }
        if (resumed == 0) {
            record(); // none of them is left: forget them
        }
        return resumed;
    }

    /**
     * Writes down the removals begun so far, before anything that counts on them leaving (the
     * creates of the same plan) is dispatched: a process killed right after must not leave a
     * successor running beside a predecessor nobody knows was leaving. Also when a removal ends.
     * A failure is logged, the removal goes on (see the class note).
     */
    synchronized void record() {
        try {
            String text = String.join("\n", new TreeSet<>(terminating));
            AtomicFiles.write(file, (text.isEmpty() ? "" : text + "\n").getBytes(StandardCharsets.UTF_8), "rw-------");
        } catch (IOException | RuntimeException e) {
            LOG.debugf("cannot write %s: %s", file, e.getMessage());
        }
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
                record();
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
