package dev.berth.plan;

import dev.berth.desired.Dependency;
import java.time.Instant;

/**
 * What the planner saw about a service that no action shows: why it waits, and until when.
 *
 * @param waitingFor   the first dependency whose condition is not met yet, or null
 * @param backoffUntil earliest next restart of a crash-looping replica, or replacement of an
 *                     unhealthy one, or null
 * @param restarts     highest consecutive restart count among its replicas
 * @param completed    replicas of a job that finished successfully
 * @param failed       replicas of a job that failed and will not be retried
 * @param replacement  what the replacement of an unhealthy replica is doing or waiting for, or null
 */
public record ServiceNote(Dependency waitingFor, Instant backoffUntil, int restarts, int completed, int failed,
        String replacement) {
    public static final ServiceNote NONE = new ServiceNote(null, null, 0, 0, 0, null);
}
