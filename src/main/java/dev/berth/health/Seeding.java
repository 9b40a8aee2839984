package dev.berth.health;

import dev.berth.observed.ReplicaHealth;
import java.time.Instant;

/**
 * How a replica the data plane serves is seeded after a control-plane restart. It was a member,
 * so it was ready for at least minReadySeconds: it starts READY, never STARTING, and a failing
 * probe demotes it after {@code retries} failures as usual. Pure.
 *
 * <p>Its ready clock: the container's start when known (ready no earlier than that, and it was
 * available then at the latest, so that start plus minReadySeconds is in the past); before the
 * first sync names its container, {@link #UNKNOWN_SINCE}, which counts as long ago.
 */
final class Seeding {
    /** "Ready since before this daemon looked": far enough back for any minReadySeconds. */
    static final Instant UNKNOWN_SINCE = Instant.EPOCH;

    private Seeding() {}

    /**
     * The health a seed gives a replica whose health is {@code cur} (null: none yet), or null to
     * leave it: only a replica with no verdict yet (none, or STARTING with no probe result) is
     * seeded.
     */
    static ReplicaHealth seed(ReplicaHealth cur, Instant startedAt) {
        if (cur != null && !(cur.state() == ReplicaHealth.State.STARTING && cur.failures() == 0 && cur.lastError() == null)) {
            return null;
        }
        return ready(startedAt);
    }

    /** The seeded health a replica takes when it is first watched ({@code seeded} as seeded before). */
    static ReplicaHealth adopt(ReplicaHealth seeded, Instant startedAt) {
        if (seeded == null || seeded.state() != ReplicaHealth.State.READY) {
            return null;
        }
        return ready(startedAt);
    }

    private static ReplicaHealth ready(Instant startedAt) {
        return new ReplicaHealth(ReplicaHealth.State.READY, 0, startedAt == null ? UNKNOWN_SINCE : startedAt, null, null);
    }
}
