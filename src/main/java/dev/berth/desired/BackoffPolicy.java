package dev.berth.desired;

import java.time.Duration;

/**
 * Crash-loop backoff: the n-th consecutive restart waits {@code initial · 2^(n-1)}, capped at
 * {@code max}; a container that ran for {@code reset} or longer before it exited starts afresh.
 * Worked example with 1s/5m: restarts wait 0s (first), 1s, 2s, 4s, … 256s, then 300s for ever.
 */
public record BackoffPolicy(Duration initial, Duration max, Duration reset) {

    public static final BackoffPolicy DEFAULT = new BackoffPolicy(Duration.ofSeconds(1), Duration.ofMinutes(5),
            Duration.ofMinutes(10));

    /** Wait before restart number {@code n} (1-based); the first restart is immediate. */
    public Duration delay(int n) {
        if (n <= 1) {
            return Duration.ZERO;
        }
        int shift = Math.min(n - 2, 30);
        Duration d = initial.multipliedBy(1L << shift);
        return d.compareTo(max) > 0 ? max : d;
    }
}
