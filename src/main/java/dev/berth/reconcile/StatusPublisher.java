package dev.berth.reconcile;

import dev.berth.desired.DesiredState;
import dev.berth.desired.ServiceSpec;
import dev.berth.events.EventLog;
import dev.berth.health.HealthMonitor;
import dev.berth.manifest.Problem;
import dev.berth.metrics.BerthMetrics;
import dev.berth.observed.ObservedState;
import dev.berth.observed.ReplicaHealth;
import dev.berth.plan.Plan;
import dev.berth.status.PhaseTracker;
import dev.berth.status.ServiceStatus;
import dev.berth.status.StatusBoard;
import dev.berth.status.StatusView;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a pass shows the operator: each service's status ({@link StatusView}) with its phase
 * changes logged and evented ({@link PhaseTracker}), the per-service gauges, the manifest problems
 * (one Warning event per newly rejected one) and the engine-down and refusal states, all on the
 * {@link StatusBoard} the API reads. Runs on the planning thread only.
 */
final class StatusPublisher {
    private final StatusBoard board;
    private final PhaseTracker phases;
    private final HealthMonitor health;
    private final Removals removals;
    private final Failures failures;
    private final EventLog events;
    private final BerthMetrics metrics;
    private Set<String> lastProblems = Set.of();

    StatusPublisher(StatusBoard board, HealthMonitor health, Removals removals, Failures failures, EventLog events,
            BerthMetrics metrics) {
        this.board = board;
        this.phases = new PhaseTracker(events);
        this.health = health;
        this.removals = removals;
        this.failures = failures;
        this.events = events;
        this.metrics = metrics;
    }

    /** One Warning event per newly rejected manifest problem. */
    void reportProblems(List<Problem> problems) {
        Set<String> now = new HashSet<>();
        for (Problem p : problems) {
            String text = p.toString();
            now.add(text);
            if (!lastProblems.contains(text)) {
                events.warning(null, null, "ManifestRejected", text);
            }
        }
        lastProblems = now;
    }

    /** The engine did not answer: services keep their last status, marked as such. */
    void engineDown(List<Problem> problems) {
        board.engineDown(new java.util.ArrayList<>(problems));
    }

    /** Berth refuses to act on the manifests directory: services keep showing as last seen (they still run, untouched). */
    void refused(List<Problem> problems, String refusal) {
        board.refused(problems, refusal);
    }

    /**
     * Publishes the status of every declared service as this pass leaves it.
     *
     * @param proxyErrors why a service's proxy port could not be opened, by service
     */
    void publish(DesiredState desired, ResolveStep.Resolved resolved, ObservedState observed,
            Map<String, String> proxyErrors, List<Problem> problems, Plan plan) {
        Map<String, ServiceStatus> out = new HashMap<>();
        Map<String, ReplicaHealth> probes = health.snapshot();
        Set<String> leaving = removals.leaving();
        for (ServiceSpec s : desired.services().values()) {
            Failures.Failure current = failures.get(s.name());
            Failures.Failure last = failures.last(s.name());
            ServiceStatus st = StatusView.of(new StatusView.Facts(s, desired.manifestHashes().get(s.name()), resolved.targets().get(s.name()),
                    resolved.rollouts().get(s.name()), resolved.errors().get(s.name()), resolved.waiting().get(s.name()),
                    proxyErrors.get(s.name()), observed.of(s.name()), probes, leaving, plan.notes().get(s.name()),
                    last == null ? null : last.message(), last == null ? null : last.at(),
                    current == null ? null : current.retryAt(), Instant.now()));
            out.put(s.name(), phases.track(st, Instant.now()));
            metrics.service(s, st);
        }
        phases.retain(desired.services().keySet());
        metrics.retain(desired.services().keySet());
        board.publish(out, problems, null, true, failures.projectError());
    }
}
