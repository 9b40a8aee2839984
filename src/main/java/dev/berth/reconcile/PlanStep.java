package dev.berth.reconcile;

import dev.berth.desired.BackoffPolicy;
import dev.berth.desired.DesiredState;
import dev.berth.desired.ResolvedService;
import dev.berth.engine.ExternalStops;
import dev.berth.observed.ContainerState;
import dev.berth.observed.ObservedContainer;
import dev.berth.observed.ObservedState;
import dev.berth.observed.ReplicaHealth;
import dev.berth.plan.Plan;
import dev.berth.plan.PlanInput;
import dev.berth.plan.Planner;
import dev.berth.state.StateStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * A pass's plan step: records the job runs that completed, gathers what the pure
 * {@link Planner} needs beyond desired and observed state (paused rollouts, persisted restart
 * counts, completed jobs, containers leaving, error backoffs) and plans. Each planner warning is
 * logged once. Runs on the planning thread only.
 */
final class PlanStep {
    private static final Logger LOG = Logger.getLogger(PlanStep.class);

    private final Planner planner = new Planner();
    private final String project;
    private final StateStore state;
    private final Removals removals;
    private final Failures failures;
    private final BackoffPolicy backoff;
    private final ExternalStops externalStops;
    private final Set<String> warned = new HashSet<>();

    PlanStep(String project, StateStore state, Removals removals, Failures failures, BackoffPolicy backoff,
            ExternalStops externalStops) {
        this.externalStops = externalStops;
        this.project = project;
        this.state = state;
        this.removals = removals;
        this.failures = failures;
        this.backoff = backoff;
    }

    /** @param leaving containers Berth was removing when the pass began observing */
    Plan plan(DesiredState desired, ObservedState observed, ResolveStep.Resolved resolved, Set<String> leaving,
            Map<String, ReplicaHealth> probes, Instant now) {
        Map<String, ResolvedService> targets = resolved.targets();
        Set<String> completed = new HashSet<>();
        Set<String> paused = new HashSet<>();
        for (ResolvedService r : targets.values()) {
            recordCompletions(r, observed);
            completed.addAll(state.completedJobs(r.name()));
            if (resolved.rollouts().get(r.name()).paused()) {
                paused.add(r.name());
            }
        }
        Set<String> removing = removals.leaving();
        removing.addAll(leaving);
        Map<String, Integer> restarts = new HashMap<>();
        targets.keySet().forEach(name -> restarts.putAll(state.restarts(name)));
        Plan plan = planner.plan(new PlanInput(project, desired, targets, observed, probes, removing, paused, restarts,
                completed, failures.retryAt(), externalStops.ids(observed.containers(), now), backoff, now));
        for (String w : plan.warnings()) {
            if (warned.add(w)) {
                LOG.warn(w);
            }
        }
        return plan;
    }

    /** Job replicas of the target revision that exited with code 0 are done for good: persisted. */
    private void recordCompletions(ResolvedService r, ObservedState observed) {
        if (!r.spec().isJob()) {
            return;
        }
        for (ObservedContainer c : observed.of(r.name())) {
            if (c.specHash().equals(r.specHash()) && c.state() == ContainerState.EXITED && c.exitCode() == 0) {
                state.markCompleted(r.name(), Planner.jobKey(r.name(), r.specHash(), c.ordinal()));
            }
        }
    }
}
