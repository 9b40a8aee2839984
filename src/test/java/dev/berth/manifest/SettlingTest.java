package dev.berth.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When a pass may read the manifests directory: after a quiet time, never held for ever. */
class SettlingTest {
    static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");
    static final Duration QUIET = Duration.ofMillis(500);
    static final Duration HOLD = Duration.ofSeconds(5);

    @ParameterizedTest(name = "newest change at {0} ms, now 0 → wait until {1}")
    @CsvSource(nullValues = "null", textBlock = """
            # newest change (ms from now), wait until (ms from now; null = read now)
            null,   null
            -1000,  null
            -500,   null
            -100,   400
            0,      500
            300,    800
            10000,  null
            """)
    void waitsForTheQuietTime(Long changedMs, Long untilMs) {
        Instant changed = changedMs == null ? null : T0.plusMillis(changedMs);
        Instant until = new Settling(QUIET, HOLD).waitUntil(changed, T0);
        assertThat(until).isEqualTo(untilMs == null ? null : T0.plusMillis(untilMs));
    }

    @Test
    void aZeroQuietTimeNeverWaits() {
        assertThat(new Settling(Duration.ZERO, HOLD).waitUntil(T0, T0)).isNull();
    }

    @Test
    void aDirectoryThatNeverGoesQuietIsReadAfterTheHold() {
        Settling s = new Settling(QUIET, HOLD);
        assertThat(s.waitUntil(T0, T0)).isEqualTo(T0.plus(QUIET));
        Instant later = T0.plusMillis(4800);
        // Still changing: wait again, but never past the hold.
        assertThat(s.waitUntil(later, later)).isEqualTo(T0.plus(HOLD));
        Instant end = T0.plus(HOLD);
        assertThat(s.waitUntil(end, end)).isNull();
        // The next change starts a new hold.
        Instant next = end.plusMillis(100);
        assertThat(s.waitUntil(next, next)).isEqualTo(next.plus(QUIET));
    }

    @Test
    void aQuietDirectoryEndsTheHold() {
        Settling s = new Settling(QUIET, HOLD);
        assertThat(s.waitUntil(T0, T0)).isEqualTo(T0.plus(QUIET));
        Instant quiet = T0.plus(QUIET);
        assertThat(s.waitUntil(T0, quiet)).isNull();
        // A change long after is held afresh, with a full hold ahead of it.
        Instant much = T0.plusSeconds(60);
        assertThat(s.waitUntil(much, much)).isEqualTo(much.plus(QUIET));
        assertThat(s.waitUntil(much.plusMillis(4900), much.plusMillis(4900))).isEqualTo(much.plus(HOLD));
    }

    @Test
    void theHoldIsAtLeastTwiceTheQuietTime() {
        Settling s = new Settling(Duration.ofSeconds(4));
        assertThat(s.waitUntil(T0, T0)).isEqualTo(T0.plusSeconds(4));
        Instant later = T0.plusSeconds(7);
        assertThat(s.waitUntil(later, later)).isEqualTo(T0.plusSeconds(8));
    }
}
