package dev.berth.desired;

import java.time.Duration;

/**
 * How a new revision replaces the old one (Kubernetes' rolling update, Swarm's update_config).
 *
 * @param minReady         a replica counts as available only after being ready this long
 * @param progressDeadline a rollout that has not completed within this fails
 * @param monitor          after completing, the new revision is still on probation this long
 * @param drain            in-flight requests get this long to finish before a replica is stopped
 */
public record UpdatePolicy(Order order, IntOrPercent maxSurge, IntOrPercent maxUnavailable, Duration minReady,
        Duration progressDeadline, FailureAction failureAction, Duration monitor, Duration drain) {

    public enum Order { START_FIRST, STOP_FIRST }

    public enum FailureAction { ROLLBACK, PAUSE }

    public static final UpdatePolicy DEFAULT = new UpdatePolicy(Order.START_FIRST, new IntOrPercent(1, false),
            new IntOrPercent(0, false), Duration.ZERO, Duration.ofSeconds(120), FailureAction.ROLLBACK,
            Duration.ofSeconds(30), Duration.ofSeconds(10));
}
