package dev.berth.status;

import dev.berth.desired.ServiceSpec;
import dev.berth.observed.ContainerState;
import dev.berth.observed.ObservedContainer;
import dev.berth.observed.ReplicaHealth;
import dev.berth.desired.ResolvedService;
import dev.berth.plan.ServiceNote;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import dev.berth.rollout.RolloutRecord;
import dev.berth.rollout.RolloutState;

/** Derives a service's status (phase, counts, message) from one pass's facts. Pure. */
public final class StatusView {
    private StatusView() {}

    /**
     * @param waiting    slow work the service waits for before it can be planned (an image pull), or null
     * @param proxyError why its proxy port could not be opened, or null; its containers are still repaired
     * @param manifestHash the hash of the declaration the spec was loaded from, or null
     */
    public record Facts(ServiceSpec spec, String manifestHash, ResolvedService target, RolloutRecord rollout, String resolveError,
            String waiting, String proxyError, List<ObservedContainer> containers, Map<String, ReplicaHealth> health, Set<String> leaving, ServiceNote note,
            String lastError, Instant lastErrorAt, Instant retryAt, Instant now) {}

    public static ServiceStatus of(Facts f) {
        ServiceSpec spec = f.spec();
        ServiceNote n = f.note() == null ? ServiceNote.NONE : f.note();
        List<ObservedContainer> containers = f.containers();
        int running = (int) containers.stream().filter(ObservedContainer::isUp).count();
        int ready = (int) containers.stream().filter(c -> ready(f, c)).count();
        int updated = f.target() == null ? 0 : (int) containers.stream()
                .filter(c -> c.specHash().equals(f.target().specHash()) && c.isUp() && !f.leaving().contains(c.id())).count();
        RolloutRecord r = f.rollout();
        Phase phase;
        String message = null;
        if (f.resolveError() != null) {
            phase = Phase.Failed;
            message = f.resolveError();
        } else if (spec.isJob() && spec.replicas() > 0 && n.completed() >= spec.replicas()) {
            phase = Phase.Completed;
            message = "job completed";
        } else if (spec.isJob() && n.failed() > 0) {
            phase = Phase.Failed;
            message = "job failed (exit code " + containers.stream().filter(c -> c.state() == ContainerState.EXITED)
                    .map(c -> Integer.toString(c.exitCode())).findFirst().orElse("?") + "), not restarted (restart: no)";
        } else if (r != null && r.state() == RolloutState.PAUSED) {
            phase = Phase.Paused;
            message = "rollout paused: " + r.reason();
        } else if (f.proxyError() != null) {
            phase = Phase.Degraded;
            message = "proxy: " + f.proxyError();
        } else if (n.waitingFor() != null) {
            phase = Phase.Waiting;
            message = "waiting for service " + n.waitingFor().service() + " " + n.waitingFor().condition().waiting();
        } else if (n.backoffUntil() != null) {
            phase = Phase.Degraded;
            message = n.replacement() != null ? n.replacement()
                    : "crash loop: restart " + (n.restarts() + 1) + " at " + n.backoffUntil();
        } else if (f.retryAt() != null && f.lastError() != null) {
            phase = Phase.Degraded;
            message = "engine error, retrying at " + f.retryAt() + ": " + f.lastError();
        } else if (r != null && r.state() == RolloutState.ROLLED_BACK) {
            phase = Phase.RolledBack;
            message = "rolled back to revision " + r.fromRevision() + ": " + r.reason();
        } else if (r != null && r.state() == RolloutState.FAILED) {
            phase = Phase.Failed;
            message = "rollout failed: " + r.reason();
        } else if (r != null && r.state() == RolloutState.ROLLING_BACK) {
            phase = Phase.Progressing;
            message = "rolling back to revision " + r.fromRevision() + ": " + r.reason();
        } else if (f.waiting() != null) {
            phase = Phase.Progressing;
            message = f.waiting();
        } else if (spec.replicas() == 0 && running == 0) {
            phase = Phase.Available;
            message = "scaled to 0";
        } else if (!spec.isJob() && updated == spec.replicas() && running == spec.replicas() && ready >= spec.replicas()
                && (r == null || r.state() == RolloutState.COMPLETE)) {
            phase = Phase.Available;
        } else {
            phase = Phase.Progressing;
            message = n.replacement() != null ? n.replacement() : updated + " of " + spec.replicas() + " replicas of revision "
                    + (f.target() == null ? "?" : f.target().revision()) + " up, " + ready + " ready";
        }
        List<ServiceStatus.ReplicaStatus> replicas = containers.stream()
                .sorted(Comparator.comparingInt(ObservedContainer::revision).thenComparingInt(ObservedContainer::ordinal))
                .map(c -> replica(f, c)).toList();
        ServiceStatus.Rollout rollout = r == null ? null : new ServiceStatus.Rollout(r.state().name(),
                r.fromHash() == null ? null : r.fromRevision(), r.toRevision(), r.startedAt(), r.completedAt(), r.reason());
        ResolvedService t = f.target();
        java.util.TreeMap<Integer, int[]> perRevision = new java.util.TreeMap<>();
        for (ObservedContainer c : containers) {
            int[] counts = perRevision.computeIfAbsent(c.revision(), k -> new int[2]);
            counts[0] += c.isUp() ? 1 : 0;
            counts[1] += ready(f, c) ? 1 : 0;
        }
        List<ServiceStatus.RevisionCount> revisions = perRevision.entrySet().stream()
                .map(e -> new ServiceStatus.RevisionCount(e.getKey(), e.getValue()[0], e.getValue()[1])).toList();
        return new ServiceStatus(spec.name(), spec.source(), t == null ? 0 : t.revision(), t == null ? null : t.specHash(),
                f.manifestHash(), t == null ? spec.image() : t.spec().image(), t == null ? null : t.imageDigest(),
                new ServiceStatus.Replicas(spec.replicas(), running, ready, updated), phase, message, rollout, revisions,
                f.lastError(), f.lastErrorAt(), n.restarts(), n.backoffUntil(), null, replicas);
    }

    private static boolean ready(Facts f, ObservedContainer c) {
        return !f.leaving().contains(c.id())
                && dev.berth.observed.Availability.available(c, f.health(), f.spec().update().minReady(), f.now());
    }

    private static ServiceStatus.ReplicaStatus replica(Facts f, ObservedContainer c) {
        ReplicaHealth h = f.health().get(c.id());
        String health = f.leaving().contains(c.id()) ? "LEAVING" : h == null ? null : h.state().name();
        return new ServiceStatus.ReplicaStatus(c.name(), c.id().substring(0, Math.min(12, c.id().length())), c.revision(),
                c.ordinal(), c.state().name().toLowerCase(Locale.ROOT),
                c.state() == ContainerState.EXITED ? c.exitCode() : null, c.startedAt(), health, ready(f, c),
                h == null ? null : h.lastError(), null);
    }

    public static ServiceStatus since(ServiceStatus s, Instant since) {
        return new ServiceStatus(s.name(), s.source(), s.revision(), s.specHash(), s.manifestHash(), s.image(), s.imageDigest(), s.replicas(),
                s.phase(), s.message(), s.rollout(), s.revisions(), s.lastError(), s.lastErrorAt(), s.restarts(), s.nextRestartAt(), since,
                s.containers());
    }
}
