package dev.berth.reconcile;

import dev.berth.desired.ServiceSpec;
import dev.berth.observed.ContainerState;
import dev.berth.observed.ObservedContainer;
import dev.berth.plan.ResolvedService;
import dev.berth.plan.ServiceNote;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** Derives a service's status (phase, counts, message) from one pass's facts. Pure. */
final class StatusView {
    private StatusView() {}

    static ServiceStatus of(ServiceSpec spec, ResolvedService target, String resolveError, List<ObservedContainer> containers,
            ServiceNote note, String lastError, Instant lastErrorAt, Instant retryAt, String refusal) {
        ServiceNote n = note == null ? ServiceNote.NONE : note;
        int running = (int) containers.stream().filter(c -> c.state().isUp()).count();
        int updated = target == null ? 0 : (int) containers.stream()
                .filter(c -> c.specHash().equals(target.specHash()) && c.state().isUp()).count();
        // Readiness is "running" until health probes arrive; see docs/design/status.md.
        int ready = updated;
        Phase phase;
        String message = null;
        if (refusal != null) {
            phase = Phase.Failed;
            message = "not reconciled: " + refusal;
        } else if (resolveError != null) {
            phase = Phase.Failed;
            message = resolveError;
        } else if (spec.isJob() && spec.replicas() > 0 && n.completed() >= spec.replicas()) {
            phase = Phase.Completed;
            message = "job completed";
        } else if (spec.isJob() && n.failed() > 0) {
            phase = Phase.Failed;
            message = "job failed (exit code " + containers.stream().filter(c -> c.state() == ContainerState.EXITED)
                    .map(c -> Integer.toString(c.exitCode())).findFirst().orElse("?") + "), not restarted (restart: no)";
        } else if (n.waitingFor() != null) {
            phase = Phase.Waiting;
            message = "waiting for service " + n.waitingFor() + " to start";
        } else if (n.backoffUntil() != null) {
            phase = Phase.Degraded;
            message = "crash loop: restart " + (n.restarts() + 1) + " at " + n.backoffUntil();
        } else if (retryAt != null && lastError != null) {
            phase = Phase.Degraded;
            message = "engine error, retrying at " + retryAt + ": " + lastError;
        } else if (spec.replicas() == 0 && running == 0) {
            phase = Phase.Available;
            message = "scaled to 0";
        } else if (updated == spec.replicas() && running == spec.replicas() && !spec.isJob()) {
            phase = Phase.Available;
        } else {
            phase = Phase.Progressing;
            message = updated + " of " + spec.replicas() + " replicas of the current revision running";
        }
        List<ServiceStatus.ReplicaStatus> replicas = containers.stream()
                .sorted(Comparator.comparingInt(ObservedContainer::revision).thenComparingInt(ObservedContainer::ordinal))
                .map(c -> new ServiceStatus.ReplicaStatus(c.name(), c.id().substring(0, Math.min(12, c.id().length())),
                        c.revision(), c.ordinal(), c.state().name().toLowerCase(java.util.Locale.ROOT),
                        c.state() == ContainerState.EXITED ? c.exitCode() : null, c.startedAt()))
                .toList();
        return new ServiceStatus(spec.name(), spec.source(), target == null ? 0 : target.revision(),
                target == null ? null : target.specHash(), spec.image(), target == null ? null : target.imageDigest(),
                new ServiceStatus.Replicas(spec.replicas(), running, ready, updated), phase, message,
                lastError, lastErrorAt, n.restarts(), n.backoffUntil(), null, replicas);
    }

    static ServiceStatus since(ServiceStatus s, Instant since) {
        return new ServiceStatus(s.name(), s.source(), s.revision(), s.specHash(), s.image(), s.imageDigest(), s.replicas(),
                s.phase(), s.message(), s.lastError(), s.lastErrorAt(), s.restarts(), s.nextRestartAt(), since, s.containers());
    }
}
