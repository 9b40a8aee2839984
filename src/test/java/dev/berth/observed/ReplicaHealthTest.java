package dev.berth.observed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.desired.HealthCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The probe state machine, one probe a second from the container's start. */
class ReplicaHealthTest {
    static final Instant START = Instant.parse("2026-01-01T12:00:00Z");

    @ParameterizedTest(name = "startPeriod {0}s, retries {1}: {2} → {3}")
    @CsvSource(delimiter = '|', textBlock = """
            # startPeriod | retries | probes (P pass, F fail), 1 s apart from start | state after each (S starting, R ready, U unhealthy)
            0             | 3       | P                 | R
            0             | 3       | F F F             | S S U
            0             | 1       | F                 | U
            0             | 3       | F F P             | S S R
            5             | 3       | F F F F F F F F   | S S S S S S S U
            5             | 3       | F F P F F F       | S S R R R U
            0             | 3       | P F F P F F F     | R R R R R R U
            0             | 2       | P F F P           | R R U R
            0             | 2       | P F F F F P P     | R R U U U R R
            """)
    void transitions(int startPeriod, int retries, String probes, String states) {
        HealthCheck hc = new HealthCheck(HealthCheck.Kind.TCP, "/", 80, 0, List.of(), Duration.ofSeconds(1),
                Duration.ofSeconds(1), retries, Duration.ofSeconds(startPeriod));
        ReplicaHealth h = ReplicaHealth.STARTING;
        String[] p = probes.strip().split(" ");
        String[] want = states.strip().split(" ");
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < p.length; i++) {
            boolean passed = p[i].equals("P");
            h = ReplicaHealth.next(h, passed, passed ? null : "refused", hc, START, START.plusSeconds(i));
            seen.append(seen.isEmpty() ? "" : " ").append(h.state().name().charAt(0));
        }
        assertThat(seen.toString()).isEqualTo(String.join(" ", want));
    }

    @ParameterizedTest(name = "startPeriod {0}ms, probes 250 ms apart, interval 1 s: {1} → {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # startPeriod | probes (P pass, F fail), 250 ms apart from start | state after each
            0             | F F P                     | S S R
            0             | F F F F F F F F F         | S S S S S S S S U
            1000          | F F F F F F F F F F F F F | S S S S S S S S S S S S U
            0             | F F F F P F F F F F F F F | S S S S R R R U U U U U U
            """)
    void fastStartProbesMakeReadySoonerButNeverUnhealthySooner(int startPeriod, String probes, String states) {
        HealthCheck hc = new HealthCheck(HealthCheck.Kind.TCP, "/", 80, 0, List.of(), Duration.ofSeconds(1),
                Duration.ofSeconds(1), 3, Duration.ofMillis(startPeriod), Duration.ofMillis(250));
        ReplicaHealth h = ReplicaHealth.STARTING;
        String[] p = probes.strip().split(" ");
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < p.length; i++) {
            boolean passed = p[i].equals("P");
            h = ReplicaHealth.next(h, passed, passed ? null : "refused", hc, START, START.plusMillis(250L * i));
            seen.append(seen.isEmpty() ? "" : " ").append(h.state().name().charAt(0));
        }
        assertThat(seen.toString()).isEqualTo(states.strip());
    }

    @ParameterizedTest(name = "{0} every {1}: start interval {2}, probe every {3} while starting")
    @CsvSource(textBlock = """
            HTTP, 2s,   ,      250ms
            TCP,  2s,   ,      250ms
            EXEC, 2s,   ,      2s
            HTTP, 100ms,,      100ms
            EXEC, 2s,   500ms, 500ms
            HTTP, 1s,   5s,    1s
            """)
    void startIntervalDefaultsAndBounds(HealthCheck.Kind kind, String interval, String startInterval, String every) {
        HealthCheck hc = new HealthCheck(kind, "/", 80, 0, List.of(), d(interval), Duration.ofSeconds(1), 3, Duration.ZERO,
                startInterval == null ? null : d(startInterval));
        assertThat(hc.probeEvery(true)).isEqualTo(d(every));
        assertThat(hc.probeEvery(false)).isEqualTo(d(interval));
    }

    private static Duration d(String s) {
        return s.endsWith("ms") ? Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)))
                : Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
    }

    @ParameterizedTest(name = "ready since {0}s, minReady {1}s, now {2}s → available {3}")
    @CsvSource(textBlock = """
            0, 0, 0, true
            0, 5, 4, false
            0, 5, 5, true
            """)
    void availableAfterMinReady(int since, int minReady, int now, boolean available) {
        ReplicaHealth ready = new ReplicaHealth(ReplicaHealth.State.READY, 0, START.plusSeconds(since), null, null);
        assertThat(ready.available(Duration.ofSeconds(minReady), START.plusSeconds(now))).isEqualTo(available);
        assertThat(ReplicaHealth.STARTING.available(Duration.ZERO, START)).isFalse();
    }

    @ParameterizedTest(name = "readiness is kept across passing probes")
    @CsvSource(textBlock = "3")
    void readySinceStaysWhileProbesPass(int probes) {
        HealthCheck hc = new HealthCheck(HealthCheck.Kind.TCP, "/", 80, 0, List.of(), Duration.ofSeconds(1),
                Duration.ofSeconds(1), 3, Duration.ZERO);
        ReplicaHealth h = ReplicaHealth.STARTING;
        for (int i = 0; i < probes; i++) {
            h = ReplicaHealth.next(h, true, null, hc, START, START.plusSeconds(i));
        }
        assertThat(h.readySince()).isEqualTo(START);
    }
}
