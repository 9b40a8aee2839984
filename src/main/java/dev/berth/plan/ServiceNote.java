package dev.berth.plan;

import java.time.Instant;

/**
 * What the planner saw about a service that no action shows: why it waits, and until when.
 *
 * @param waitingFor   dependency it waits for, or null
 * @param backoffUntil earliest next restart of a crash-looping replica, or null
 * @param restarts     highest consecutive restart count among its replicas
 * @param completed    replicas of a job that finished successfully
 * @param failed       replicas of a job that failed and will not be retried
 */
public record ServiceNote(String waitingFor, Instant backoffUntil, int restarts, int completed, int failed) {
    public static final ServiceNote NONE = new ServiceNote(null, null, 0, 0, 0);
}
