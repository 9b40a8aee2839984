package dev.berth.rollout;

import dev.berth.desired.ServiceSpec;
import dev.berth.desired.UpdatePolicy;
import dev.berth.observed.Availability;
import dev.berth.observed.ContainerState;
import dev.berth.observed.ObservedContainer;
import dev.berth.observed.ReplicaHealth;
import dev.berth.desired.ResolvedService;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import dev.berth.resolve.ProbeHash;

/**
 * Decides the rollout state of one service each pass — pure, so table tests cover it. The
 * planner then steps toward {@link RolloutRecord#targetHash()}. Swarm's model: a rollback is a
 * rollout toward the previous revision, the same rolling way, and never rolls back itself.
 */
public final class RolloutController {
    private RolloutController() {}

    /** The next record and, when the state changed, why (for the log and status). */
    public record Decision(RolloutRecord record, Transition transition) {}

    /**
     * @param rec      the current record, or null for a service seen for the first time
     * @param manifest the revision the manifest asks for
     * @param containers every container of the service
     * @param stoppedByOthers ids of containers that someone other than Berth stopped, killed or
     *                 removed (see {@code engine.ExternalStops}): their exit says nothing about the
     *                 revision, so it does not fail a rollout or its probation
     */
    public static Decision decide(RolloutRecord rec, ResolvedService manifest, List<ObservedContainer> containers,
            Map<String, ReplicaHealth> health, Set<String> stoppedByOthers, Instant now) {
        ServiceSpec spec = manifest.spec();
        String m = manifest.specHash();
        String probe = ProbeHash.of(spec.healthcheck());
        Facts f = new Facts(spec, containers, health, Set.copyOf(stoppedByOthers), now);
        if (rec == null) {
            Optional<ObservedContainer> other = containers.stream().filter(c -> !c.specHash().equals(m))
                    .max(Comparator.comparingInt(ObservedContainer::revision));
            RolloutRecord first = new RolloutRecord(RolloutState.PROGRESSING, other.map(ObservedContainer::specHash).orElse(null),
                    other.map(ObservedContainer::revision).orElse(0), m, manifest.revision(), now, null,
                    other.isPresent() ? "new revision " + manifest.revision() : "first deployment", Set.of(), null, probe);
            return evaluate(first, f, new Transition(null, RolloutState.PROGRESSING, first.reason()));
        }
        if (!m.equals(rec.toHash())) {
            if (m.equals(rec.targetHash()) && rec.state() == RolloutState.ROLLED_BACK) {
                // The manifest now asks for what the rollback restored: the manifest wins, nothing moves.
                RolloutRecord adopted = new RolloutRecord(RolloutState.COMPLETE, null, 0, m, manifest.revision(), now, now,
                        "manifest matches the restored revision", Set.of(), null, probe);
                return new Decision(adopted, new Transition(rec.state(), RolloutState.COMPLETE, adopted.reason()));
            }
            // Roll back to the last revision that was stable, never to one still in flight or failed.
            // A manifest change is the user's new word: what failed before may be tried again
            // (Kubernetes re-rolls an image set back to a failed one too), so the failed set starts empty.
            boolean stableIsTo = rec.state() == RolloutState.COMPLETE;
            RolloutRecord next = new RolloutRecord(RolloutState.PROGRESSING, stableIsTo ? rec.toHash() : rec.fromHash(),
                    stableIsTo ? rec.toRevision() : rec.fromRevision(), m, manifest.revision(), now, null,
                    "new revision " + manifest.revision(), Set.of(), null, probe);
            return evaluate(next, f, new Transition(rec.state(), RolloutState.PROGRESSING, next.reason()));
        }
        if (rec.probeHash() == null) {
            // A record from before probe fingerprints: adopt the manifest's, never retry on upgrade.
            rec = rec.withProbeHash(probe);
        } else if (!probe.equals(rec.probeHash())) {
            if (rec.failedAndHolding()) {
                // The attempt may have failed for its probe alone (a wrong path, too few retries):
                // a changed healthcheck is the user's new word, as a new revision would be.
                RolloutRecord again = rec.retried(now, "healthcheck changed; revision " + rec.toRevision()
                        + " tried again", probe);
                // Not evaluated now: the health at hand was judged with the old probe. The next pass
                // sees replicas probed with the new one.
                return new Decision(again, new Transition(rec.state(), again.state(), again.reason()));
            }
            if (tracksManifestProbe(rec)) {
                rec = rec.withProbeHash(probe);
            }
        }
        return evaluate(rec, f, null);
    }

    /**
     * While the attempt toward {@code to} runs (or ran well), its replicas are probed with the
     * manifest's healthcheck, so the record follows it. A failed attempt keeps the fingerprint it
     * failed with, so a later change can be told apart.
     */
    private static boolean tracksManifestProbe(RolloutRecord rec) {
        return rec.state() == RolloutState.PROGRESSING || rec.state() == RolloutState.COMPLETE
                || rec.state() == RolloutState.PAUSED && rec.pausedFrom() == RolloutState.PROGRESSING;
    }

    /** What one pass knows about the service, for {@link #evaluate}. */
    private record Facts(ServiceSpec spec, List<ObservedContainer> containers, Map<String, ReplicaHealth> health,
            Set<String> stoppedByOthers, Instant now) {}

    /** @param started the transition that began this attempt in this pass, or null */
    private static Decision evaluate(RolloutRecord rec, Facts f, Transition started) {
        ServiceSpec spec = f.spec();
        List<ObservedContainer> containers = f.containers();
        Map<String, ReplicaHealth> health = f.health();
        Instant now = f.now();
        UpdatePolicy u = spec.update();
        String target = rec.targetHash();
        switch (rec.state()) {
            case PROGRESSING, ROLLING_BACK -> {
                String failure = spec.isJob() ? null : failure(target, containers, health, f.stoppedByOthers(), rec.startedAt());
                if (failure == null && !isComplete(spec, target, containers, health, now)
                        && now.isAfter(rec.startedAt().plus(u.progressDeadline()))) {
                    failure = "progress deadline of " + u.progressDeadline().toSeconds() + "s exceeded";
                }
                if (failure != null) {
                    return fail(rec, spec, now, failure);
                }
                if (isComplete(spec, target, containers, health, now)) {
                    RolloutState done = rec.state() == RolloutState.PROGRESSING ? RolloutState.COMPLETE : RolloutState.ROLLED_BACK;
                    String why = done == RolloutState.COMPLETE ? "revision " + rec.toRevision() + " available"
                            : "revision " + rec.fromRevision() + " restored after: " + rec.reason();
                    return new Decision(rec.to(done, now, why), started == null ? new Transition(rec.state(), done, why)
                            : new Transition(started.from(), done, started.reason() + "; " + why));
                }
                return new Decision(rec, started);
            }
            case COMPLETE -> {
                // Probation guards an update: a first deployment has nothing to roll back to, so a
                // replica that fails soon after is repaired as drift, not a failed rollout (Swarm
                // monitors updates only, too).
                boolean probation = rec.fromHash() != null && rec.completedAt() != null
                        && now.isBefore(rec.completedAt().plus(u.monitor()));
                String failure = probation && !spec.isJob()
                        ? failure(target, containers, health, f.stoppedByOthers(), rec.completedAt()) : null;
                return failure == null ? new Decision(rec, started)
                        : fail(rec, spec, now, failure + " within " + u.monitor().toSeconds() + "s of completing");
            }
            case FAILED -> {
                // A first deployment has nothing to roll back to and keeps restarting; once it does
                // come up whole, it counts as complete after all.
                if (isComplete(spec, target, containers, health, now)) {
                    String why = "revision " + rec.toRevision() + " available after all";
                    return new Decision(rec.to(RolloutState.COMPLETE, now, why),
                            new Transition(RolloutState.FAILED, RolloutState.COMPLETE, why));
                }
                return new Decision(rec, started);
            }
            default -> {
                return new Decision(rec, started);
            }
        }
    }

    private static Decision fail(RolloutRecord rec, ServiceSpec spec, Instant now, String failure) {
        RolloutRecord next;
        if (rec.state() == RolloutState.ROLLING_BACK) {
            next = rec.to(RolloutState.PAUSED, now, "rollback failed: " + failure);
        } else if (rec.fromHash() == null) {
            next = rec.failing(RolloutState.FAILED, now, failure);
        } else if (spec.update().failureAction() == UpdatePolicy.FailureAction.PAUSE) {
            next = rec.failing(RolloutState.PAUSED, now, failure);
        } else {
            next = rec.failing(RolloutState.ROLLING_BACK, now, failure);
        }
        return new Decision(next, new Transition(rec.state(), next.state(), failure));
    }

    /**
     * A replica of the target that exited or turned unhealthy fails the rollout — unless someone
     * other than Berth stopped it, or the engine refused to start it again after it had run
     * ({@link ObservedContainer#startRefusedAfterRun}): those are repaired like any drift but
     * blame no revision.
     *
     * @param since when the attempt (or its probation) began: an exit or an unhealthy verdict from
     *              before it belongs to an earlier attempt (a /retry after a pause, say) and
     *              counts no more
     */
    static String failure(String target, List<ObservedContainer> containers, Map<String, ReplicaHealth> health,
            Set<String> stoppedByOthers, Instant since) {
        for (ObservedContainer c : containers) {
            if (!c.specHash().equals(target)) {
                continue;
            }
            if ((c.state() == ContainerState.EXITED || c.state() == ContainerState.DEAD)
                    && !stoppedByOthers.contains(c.id()) && !c.startRefusedAfterRun() && !before(c.finishedAt(), since)) {
                return "replica " + c.name() + " exited with code " + c.exitCode();
            }
            ReplicaHealth h = health.get(c.id());
            if (c.isUp() && h != null && h.state() == ReplicaHealth.State.UNHEALTHY && !before(h.unhealthySince(), since)) {
                return "replica " + c.name() + " is unhealthy (" + h.lastError() + ")";
            }
        }
        return null;
    }

    private static boolean before(Instant at, Instant since) {
        return at != null && since != null && at.isBefore(since);
    }

    static boolean isComplete(ServiceSpec spec, String target, List<ObservedContainer> containers,
            Map<String, ReplicaHealth> health, Instant now) {
        if (containers.stream().anyMatch(c -> !c.specHash().equals(target))) {
            return false;
        }
        if (spec.isJob()) {
            return true;
        }
        long available = containers.stream()
                .filter(c -> Availability.available(c, health, spec.update().minReady(), now)).count();
        return available >= spec.replicas();
    }
}
