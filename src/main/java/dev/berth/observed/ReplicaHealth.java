package dev.berth.observed;

import dev.berth.desired.HealthCheck;
import java.time.Duration;
import java.time.Instant;

/**
 * What the probes know about one replica. A replica is STARTING until its first passing probe,
 * READY after it, and UNHEALTHY after {@code retries} failures in a row (failures during the
 * start period do not count, and a starting replica's failures count at most one per
 * {@code interval}). {@link #next} is the whole state machine, pure.
 */
public record ReplicaHealth(State state, int failures, Instant readySince, Instant unhealthySince, String lastError) {

    public enum State { STARTING, READY, UNHEALTHY }

    public static final ReplicaHealth STARTING = new ReplicaHealth(State.STARTING, 0, null, null, null);

    /** Ready for at least {@code minReady}: takes traffic and counts as available. */
    public boolean available(Duration minReady, Instant now) {
        return state == State.READY && !readySince.plus(minReady).isAfter(now);
    }

    public static ReplicaHealth next(ReplicaHealth cur, boolean passed, String error, HealthCheck hc, Instant startedAt,
            Instant now) {
        if (passed) {
            Instant since = cur.state == State.READY ? cur.readySince : now;
            return new ReplicaHealth(State.READY, 0, since, null, null);
        }
        if (cur.state == State.STARTING && startedAt != null
                && now.isBefore(startedAt.plus(hc.startPeriod()).plus(hc.interval().multipliedBy(cur.failures)))) {
            // Failures of a starting replica count at the interval's pace from the end of the start
            // period, however often it is probed: probing faster (startInterval) makes it ready
            // sooner, never unhealthy sooner.
            return new ReplicaHealth(State.STARTING, cur.failures, null, null, error);
        }
        int failures = cur.failures + 1;
        if (failures >= hc.retries()) {
            Instant since = cur.state == State.UNHEALTHY ? cur.unhealthySince : now;
            return new ReplicaHealth(State.UNHEALTHY, failures, null, since, error);
        }
        return new ReplicaHealth(cur.state, failures, cur.readySince, cur.unhealthySince, error);
    }
}
