package dev.berth.reconcile;

import dev.berth.desired.ResolvedService;
import dev.berth.engine.DockerEngine;
import dev.berth.events.Event;
import dev.berth.events.EventLog;
import dev.berth.metrics.BerthMetrics;
import dev.berth.observed.ObservedContainer;
import dev.berth.observed.ReplicaHealth;
import dev.berth.resolve.ResolveException;
import dev.berth.resolve.Resolver;
import dev.berth.rollout.Command;
import dev.berth.rollout.CommandRejected;
import dev.berth.rollout.Operator;
import dev.berth.rollout.RevisionOutcome;
import dev.berth.rollout.RollbackImage;
import dev.berth.rollout.RolloutController;
import dev.berth.rollout.RolloutRecord;
import dev.berth.rollout.RolloutState;
import dev.berth.rollout.Transition;
import dev.berth.state.RevisionRecord;
import dev.berth.state.StateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * A pass's rollout step for one service: applies the operator commands waiting for it, lets the
 * pure {@link RolloutController} decide, persists the record and the revision history's outcomes,
 * logs and events each {@link Transition}, and names the revision to converge to.
 */
final class RolloutSteps {
    private static final Logger LOG = Logger.getLogger(RolloutSteps.class);

    private final StateStore state;
    private final Resolver resolver;
    private final DockerEngine engine;
    private final EventLog events;
    private final BerthMetrics metrics;

    RolloutSteps(StateStore state, Resolver resolver, DockerEngine engine, EventLog events, BerthMetrics metrics) {
        this.state = state;
        this.resolver = resolver;
        this.engine = engine;
        this.events = events;
        this.metrics = metrics;
    }

    /** Decides the service's rollout, persists it and keeps the revision history's outcomes. */
    RolloutRecord decide(ResolvedService manifest, List<ObservedContainer> containers,
            Map<String, ReplicaHealth> probes, Instant now, List<PendingCommand> pending) throws ResolveException {
        String name = manifest.name();
        RolloutRecord before = state.rollout(name);
        for (PendingCommand p : pending) {
            if (!p.command().service().equals(name) || p.command() instanceof Command.Restart || p.done().isDone()) {
                continue;
            }
            try {
                if (before == null) {
                    throw new CommandRejected(409, name + " has not been deployed yet");
                }
                before = Operator.apply(p.command(), before, manifest,
                        state.revisions(name).stream().map(RevisionRecord::kept).toList(), now);
                state.rollout(name, before);
                LOG.infof("service=%s revision=%d rollout %s (%s)", name, before.targetRevision(), before.state(),
                        before.reason());
                events.normal(name, before.targetRevision(), p.command().getClass().getSimpleName() + "Requested",
                        before.reason());
            } catch (CommandRejected r) {
                p.done().completeExceptionally(r);
            }
        }
        // An operator's docker stop/kill/rm -f, or an engine restart, is repaired like any drift but fails no rollout.
        RolloutController.Decision d = RolloutController.decide(before, manifest, containers, probes,
                engine.externalStops().ids(containers, now), now);
        RolloutRecord rec = d.record();
        if (!rec.targetHash().equals(manifest.specHash()) && state.revision(name, rec.targetHash()).map(RevisionRecord::resolved).isEmpty()) {
            // Nothing kept to roll back to (history lost): the manifest's revision stays the target, paused.
            rec = rec.to(RolloutState.PAUSED, now, "cannot restore revision " + rec.targetRevision()
                    + ": it is not in the revision history");
        }
        RolloutRecord restorable = RollbackImage.check(rec, manifest,
                state.revision(name, rec.targetHash()).map(RevisionRecord::resolved), resolver::restoreImage, now);
        if (restorable != rec) {
            events.warning(name, rec.targetRevision(), "RolloutPaused", restorable.reason());
            LOG.warnf("service=%s revision=%d rollout %s → PAUSED: %s", name, rec.targetRevision(), rec.state(),
                    restorable.reason());
            rec = restorable;
        }
        Set<String> protect = new HashSet<>();
        protect.add(rec.toHash());
        if (rec.fromHash() != null) {
            protect.add(rec.fromHash());
        }
        state.record(manifest, manifest.spec().revisionHistoryLimit(), protect);
        state.rollout(name, rec);
        if (d.transition() != null) {
            Transition t = d.transition();
            LOG.infof("service=%s revision=%d rollout %s", name, rec.targetRevision(), t);
            events.record(name, rec.targetRevision(), t.isWarning() ? Event.WARNING : Event.NORMAL, t.eventReason(),
                    t.toString());
            countRollout(name, before, rec, now);
            switch (rec.state()) {
                case COMPLETE -> {
                    state.outcome(name, rec.toHash(), RevisionOutcome.COMPLETE.text(null));
                    state.deployed(name, rec.toHash(), now);
                    if (rec.fromHash() != null) {
                        state.outcome(name, rec.fromHash(), RevisionOutcome.SUPERSEDED.text(null));
                    }
                }
                case ROLLING_BACK, PAUSED, FAILED -> state.outcome(name, rec.toHash(), RevisionOutcome.FAILED.text(rec.reason()));
                case ROLLED_BACK -> {
                    state.outcome(name, rec.fromHash(), RevisionOutcome.RESTORED.text(null));
                    state.deployed(name, rec.fromHash(), now);
                }
                default -> { }
            }
        }
        return rec;
    }

    /** The revision to converge to: the manifest's, or a kept one a rollback restores (at today's scale). */
    ResolvedService target(ResolvedService manifest, RolloutRecord rec) {
        if (rec.targetHash().equals(manifest.specHash())) {
            return manifest;
        }
        ResolvedService kept = state.revision(manifest.name(), rec.targetHash()).map(RevisionRecord::resolved).orElseThrow();
        return new ResolvedService(kept.spec().withReplicas(manifest.spec().replicas()), kept.imageRef(), kept.imageId(),
                kept.imageDigest(), kept.files(), kept.specHash(), kept.revision());
    }

    /** Rollout counters: a new rollout started, one completed (with its duration), failed or was rolled back. */
    private void countRollout(String name, RolloutRecord before, RolloutRecord rec, Instant now) {
        boolean started = rec.state() == RolloutState.PROGRESSING
                && (before == null || !rec.toHash().equals(before.toHash()) || before.state() != RolloutState.PROGRESSING);
        if (started) {
            metrics.rollout(name, "started");
        }
        switch (rec.state()) {
            case COMPLETE -> {
                metrics.rollout(name, "succeeded");
                metrics.rolloutDuration(name, Duration.between(rec.startedAt(), now));
            }
            case ROLLING_BACK, FAILED -> metrics.rollout(name, "failed");
            case ROLLED_BACK -> metrics.rollout(name, "rolled_back");
            case PAUSED -> {
                if (rec.pausedFrom() == null) {
                    metrics.rollout(name, "failed");
                }
            }
            default -> { }
        }
    }
}
