package dev.berth.plan;

import dev.berth.desired.DesiredState;
import dev.berth.observed.ObservedState;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Everything a plan depends on; the planner reads nothing else, so a plan is reproducible.
 *
 * @param resolved      services whose image and files resolved this pass; a desired service missing
 *                      here is left exactly as it runs
 * @param restarts      consecutive crash restarts per replica key ({@link Planner#replicaKey})
 * @param completedJobs replica keys of job runs that finished with exit code 0, per spec hash
 *                      ({@link Planner#jobKey})
 * @param retryAt       per service: do not create or start before this instant (after engine errors)
 */
public record PlanInput(
        String project,
        DesiredState desired,
        Map<String, ResolvedService> resolved,
        ObservedState observed,
        Map<String, Integer> restarts,
        Set<String> completedJobs,
        Map<String, Instant> retryAt,
        BackoffPolicy backoff,
        Instant now) {}
