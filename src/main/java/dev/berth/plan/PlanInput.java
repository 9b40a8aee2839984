package dev.berth.plan;

import dev.berth.desired.BackoffPolicy;
import dev.berth.desired.DesiredState;
import dev.berth.observed.ObservedState;
import dev.berth.observed.ReplicaHealth;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import dev.berth.desired.ResolvedService;

/**
 * Everything a plan depends on; the planner reads nothing else, so a plan is reproducible.
 *
 * @param targets       per service, the revision to converge to (the manifest's, or the one a
 *                      rollback restores); a desired service missing here is left as it runs
 * @param health        probe results by container id; a running container without an entry is not ready yet
 * @param terminating   containers already draining or being removed: never acted on; counted against the surge only where none is allowed
 * @param paused        services whose rollout is paused: no replica is created or retired for a rollout
 * @param restarts      consecutive crash restarts and unhealthy replacements per replica key
 *                      ({@link Planner#replicaKey}), as the executor recorded them from
 *                      {@link Action#restartNumber()}
 * @param completedJobs replica keys of job runs that finished with exit code 0 ({@link Planner#jobKey})
 * @param retryAt       per service: do not create or start before this instant (after engine errors)
 * @param stoppedByOthers ids of containers that someone other than Berth stopped, killed or removed
 *                      (an operator, the engine's own restart): started again at once, not counted
 *                      as crashes
 * @param backoff       crash-loop (and unhealthy replacement) backoff for services that do not set their own
 */
public record PlanInput(
        String project,
        DesiredState desired,
        Map<String, ResolvedService> targets,
        ObservedState observed,
        Map<String, ReplicaHealth> health,
        Set<String> terminating,
        Set<String> paused,
        Map<String, Integer> restarts,
        Set<String> completedJobs,
        Map<String, Instant> retryAt,
        Set<String> stoppedByOthers,
        BackoffPolicy backoff,
        Instant now) {}
