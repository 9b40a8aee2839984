package dev.berth.manifest;

import java.time.Duration;
import java.time.Instant;

/**
 * Decides whether the manifests directory has been quiet long enough to be read. A pass can
 * start at any moment (engine event, resync, command), and one that reads a file being
 * rewritten in place, or a checkout half done, would act on a state nobody wrote. So while any
 * file changed less than {@code quiet} ago the pass waits, the same quiet time the watcher
 * applies to its own triggers; a directory that never goes quiet is read anyway after
 * {@code maxHold}, so the loop cannot be starved. Modification times further in the future
 * than {@code quiet} (clock steps, copied timestamps) are ignored. Not thread-safe.
 */
public final class Settling {
    private final Duration quiet;
    private final Duration maxHold;
    private Instant holdingSince;

    public Settling(Duration quiet) {
        this(quiet, max(Duration.ofSeconds(5), quiet.multipliedBy(2)));
    }

    Settling(Duration quiet, Duration maxHold) {
        this.quiet = quiet;
        this.maxHold = maxHold;
    }

    /**
     * @param newestChange the latest modification time of a file under the directory (null: none)
     * @return null to read now, or when to look again
     */
    public Instant waitUntil(Instant newestChange, Instant now) {
        Instant settled = newestChange == null ? null : newestChange.plus(quiet);
        boolean fresh = settled != null && now.isBefore(settled) && !newestChange.isAfter(now.plus(quiet));
        if (!fresh || quiet.isZero()) {
            holdingSince = null;
            return null;
        }
        if (holdingSince == null) {
            holdingSince = now;
        }
        Instant giveUp = holdingSince.plus(maxHold);
        if (!now.isBefore(giveUp)) {
            holdingSince = null;
            return null;
        }
        return settled.isBefore(giveUp) ? settled : giveUp;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
