package dev.berth.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.desired.BackoffPolicy;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FailuresTest {
    private final Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
    private final Failures f = new Failures(new BackoffPolicy(Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofMinutes(10)));

    @Test
    void retriesBackOffExponentiallyUpToTheMax() {
        Instant[] expected = {t0.plusSeconds(1), t0.plusSeconds(2), t0.plusSeconds(4), t0.plusSeconds(8), t0.plusSeconds(8)};
        for (Instant e : expected) {
            assertThat(f.fail("web", Failures.Kind.ACTION, "409", t0).retryAt()).isEqualTo(e);
        }
        assertThat(f.backingOff("web", Failures.Kind.ACTION, t0.plusSeconds(7))).isTrue();
        assertThat(f.backingOff("web", Failures.Kind.RESOLVE, t0.plusSeconds(7))).as("other kind").isFalse();
        assertThat(f.retryAt()).containsEntry("web", t0.plusSeconds(8));
    }

    @Test
    void aSuccessClearsOnlyItsOwnKindAndTheLastFailureStaysAsHistory() {
        f.fail("web", Failures.Kind.ACTION, "engine said no", t0);
        f.succeeded("web", Failures.Kind.RESOLVE);
        assertThat(f.get("web")).as("a resolve success does not end an engine error").isNotNull();
        f.succeeded("web", Failures.Kind.ACTION);
        assertThat(f.get("web")).isNull();
        assertThat(f.last("web").message()).isEqualTo("engine said no");
        assertThat(f.fail("web", Failures.Kind.ACTION, "again", t0).count()).as("counts afresh").isEqualTo(1);
    }

    @Test
    void aFailureExpiresOnlyAfterItsRetryTime() {
        f.fail("web", Failures.Kind.ACTION, "x", t0);
        f.expire("web", t0.plusMillis(999));
        assertThat(f.get("web")).isNotNull();
        f.expire("web", t0.plusSeconds(1));
        assertThat(f.get("web")).isNull();
    }
}
