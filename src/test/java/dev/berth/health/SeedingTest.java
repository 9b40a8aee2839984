package dev.berth.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.desired.HealthCheck;
import dev.berth.observed.ReplicaHealth;
import dev.berth.observed.ReplicaHealth.State;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Seeding readiness from the data plane's members after a control-plane restart. */
class SeedingTest {
    static final HealthCheck TCP = new HealthCheck(HealthCheck.Kind.TCP, null, 8080, 0, List.of(), Duration.ofMillis(100),
            Duration.ofMillis(500), 3, Duration.ZERO);
    static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

    record Row(String why, ReplicaHealth cur, Instant startedAt, State expected, Instant expectedSince) {}

    @Test
    void onlyAReplicaWithNoVerdictYetIsSeededReadyWithTheBestKnownClock() {
        ReplicaHealth probedStarting = new ReplicaHealth(State.STARTING, 0, null, null, "connection refused");
        ReplicaHealth failing = new ReplicaHealth(State.READY, 1, START, null, "timeout");
        ReplicaHealth unhealthy = new ReplicaHealth(State.UNHEALTHY, 3, null, START, "timeout");
        List<Row> rows = List.of(
                new Row("unknown yet, container unknown", null, null, State.READY, Seeding.UNKNOWN_SINCE),
                new Row("unknown yet, container known", null, START, State.READY, START),
                new Row("watched, not probed yet", ReplicaHealth.STARTING, START, State.READY, START),
                new Row("probed and failed while starting: keeps its verdict", probedStarting, START, null, null),
                new Row("ready with a failure: keeps its verdict", failing, START, null, null),
                new Row("unhealthy: keeps its verdict", unhealthy, START, null, null));
        for (Row r : rows) {
            ReplicaHealth got = Seeding.seed(r.cur(), r.startedAt());
            if (r.expected() == null) {
                assertThat(got).as(r.why()).isNull();
            } else {
                assertThat(got.state()).as(r.why()).isEqualTo(r.expected());
                assertThat(got.readySince()).as(r.why()).isEqualTo(r.expectedSince());
                assertThat(got.available(Duration.ofSeconds(30), START.plusSeconds(1))).as(r.why() + ": available at once")
                        .isEqualTo(r.expectedSince().equals(Seeding.UNKNOWN_SINCE));
            }
        }
        assertThat(Seeding.adopt(Seeding.seed(null, null), START)).isEqualTo(new ReplicaHealth(State.READY, 0, START, null, null));
        assertThat(Seeding.adopt(null, START)).isNull();
        assertThat(Seeding.adopt(ReplicaHealth.STARTING, START)).isNull();
    }

    @Test
    void aSeededReplicaIsReadyBeforeItsFirstProbeStaysReadyWhileProbesPassAndIsForgottenWhenGone() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                HealthMonitor monitor = new HealthMonitor(null, why -> {})) {
            Instant started = Instant.now().minusSeconds(600);
            monitor.seed(Set.of("served", "gone"));
            // The first pass reads the snapshot before any sync: both count as available now.
            assertThat(monitor.snapshot().get("served").available(Duration.ofSeconds(30), Instant.now())).isTrue();
            assertThat(monitor.snapshot().get("gone").state()).isEqualTo(State.READY);

            monitor.sync(List.of(new ProbeTarget("served", "web", 1, TCP, listener.getLocalPort(), started)));
            assertThat(monitor.snapshot()).doesNotContainKey("gone");
            for (int i = 0; i < 10; i++) {
                ReplicaHealth h = monitor.snapshot().get("served");
                assertThat(h.state()).isEqualTo(State.READY);
                assertThat(h.readySince()).isEqualTo(started);
                Thread.sleep(50);
            }
        }
    }

    @Test
    void aSeededReplicaWhoseProbesFailLeavesAsUsual() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (HealthMonitor monitor = new HealthMonitor(null, why -> {})) {
            monitor.seed(Set.of("dead"));
            monitor.sync(List.of(new ProbeTarget("dead", "web", 1, TCP, closedPort, Instant.now().minusSeconds(60))));
            assertThat(monitor.snapshot().get("dead").state()).isEqualTo(State.READY);
            await().atMost(Duration.ofSeconds(10)).until(() -> monitor.snapshot().get("dead").state() == State.UNHEALTHY);
        }
    }

    @Test
    void aSeedAfterTheFirstSyncLiftsOnlyReplicasNotProbedYet() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        HealthCheck slow = new HealthCheck(HealthCheck.Kind.TCP, null, 8080, 0, List.of(), Duration.ofHours(1),
                Duration.ofMillis(500), 1, Duration.ZERO);
        try (HealthMonitor monitor = new HealthMonitor(null, why -> {})) {
            Instant started = Instant.now().minusSeconds(60);
            // Probed once at once (fails: UNHEALTHY with retries 1), then not for an hour.
            monitor.sync(List.of(new ProbeTarget("probed", "web", 1, slow, closedPort, started)));
            await().atMost(Duration.ofSeconds(10)).until(() -> monitor.snapshot().get("probed").state() == State.UNHEALTHY);
            monitor.seed(Set.of("probed"));
            assertThat(monitor.snapshot().get("probed").state()).isEqualTo(State.UNHEALTHY);
        }
    }
}
