package dev.berth.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.desired.HealthCheck;
import dev.berth.observed.ReplicaHealth;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The monitor against a real TCP listener on loopback (tcp probes need no engine). */
class HealthMonitorTest {
    static final HealthCheck TCP = new HealthCheck(HealthCheck.Kind.TCP, null, 8080, 0, List.of(), Duration.ofMillis(100),
            Duration.ofMillis(500), 3, Duration.ZERO);

    @Test
    void anAdoptedReplicaIsReadySinceItStartedAFreshOneSinceItsFirstPassingProbe() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                HealthMonitor monitor = new HealthMonitor(null, why -> {})) {
            Instant before = Instant.now();
            Instant adoptedStart = before.minusSeconds(3600);
            Thread.sleep(5);
            Instant freshStart = Instant.now();
            monitor.sync(List.of(new ProbeTarget("adopted", "web", 1, TCP, listener.getLocalPort(), adoptedStart),
                    new ProbeTarget("fresh", "web", 1, TCP, listener.getLocalPort(), freshStart)));

            await().atMost(Duration.ofSeconds(10)).until(() -> monitor.snapshot().values().stream()
                    .allMatch(h -> h.state() == ReplicaHealth.State.READY));
            ReplicaHealth adopted = monitor.snapshot().get("adopted");
            ReplicaHealth fresh = monitor.snapshot().get("fresh");
            // Running an hour before this daemon looked: minReadySeconds does not start over.
            assertThat(adopted.readySince()).isEqualTo(adoptedStart);
            assertThat(adopted.available(Duration.ofSeconds(30), Instant.now())).isTrue();
            // Started by this daemon: minReadySeconds counts from its first passing probe.
            assertThat(fresh.readySince()).isAfterOrEqualTo(freshStart);
            assertThat(fresh.available(Duration.ofSeconds(30), Instant.now())).isFalse();
        }
    }

    @Test
    void aReplicaWithoutAHealthcheckIsReadyAtOnceAndTheLoopHearsOfItOnce() throws Exception {
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (HealthMonitor monitor = new HealthMonitor(null, heard::add)) {
            ProbeTarget plain = new ProbeTarget("plain", "worker", 1, null, null, Instant.now());
            monitor.sync(List.of(plain));
            assertThat(monitor.snapshot().get("plain").state()).isEqualTo(ReplicaHealth.State.READY);
            // The pass that synced it planned without it: it must run again, as after a probe's verdict.
            assertThat(heard).hasSize(1).allMatch(why -> why.contains("worker"));
            monitor.sync(List.of(plain));
            assertThat(heard).as("nothing new, nothing heard").hasSize(1);
        }
    }

    @Test
    void aStartingReplicaIsProbedEveryStartIntervalAndAReadyOneEveryInterval() throws Exception {
        HealthCheck slowPace = new HealthCheck(HealthCheck.Kind.TCP, null, 8080, 0, List.of(), Duration.ofSeconds(10),
                Duration.ofMillis(500), 3, Duration.ZERO, Duration.ofMillis(50));
        int port;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (HealthMonitor monitor = new HealthMonitor(null, why -> {})) {
            monitor.sync(List.of(new ProbeTarget("new", "web", 1, slowPace, port, Instant.now())));
            Thread.sleep(600);
            // A dozen refused probes, but failures count one per interval: still starting.
            assertThat(monitor.snapshot().get("new").state()).isEqualTo(ReplicaHealth.State.STARTING);
            assertThat(monitor.snapshot().get("new").failures()).isEqualTo(1);

            AtomicInteger accepted = new AtomicInteger();
            try (ServerSocket listener = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
                Thread acceptor = new Thread(() -> {
                    try {
                        while (true) {
                            listener.accept().close();
                            accepted.incrementAndGet();
                        }
                    } catch (java.io.IOException closed) {
                        // the test ends
                    }
                });
                acceptor.start();
                // At the interval's pace the next probe would come 10 s after the first.
                await().atMost(Duration.ofSeconds(5)).until(() -> monitor.snapshot().get("new").state() == ReplicaHealth.State.READY);
                int atReady = accepted.get();
                Thread.sleep(1500);
                // Ready: back to one probe per interval (at the start pace this would be ~30).
                assertThat(accepted.get() - atReady).isLessThanOrEqualTo(1);
            }
        }
    }

    @Test
    void aReplicaWhoseProbesFailTurnsUnhealthyAfterRetries() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (HealthMonitor monitor = new HealthMonitor(null, why -> {})) {
            monitor.sync(List.of(new ProbeTarget("down", "web", 1, TCP, closedPort, Instant.now())));
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    monitor.snapshot().get("down").state() == ReplicaHealth.State.UNHEALTHY);
            assertThat(monitor.snapshot().get("down").failures()).isGreaterThanOrEqualTo(3);
            monitor.sync(List.of());
            assertThat(monitor.snapshot()).isEmpty();
        }
    }

    @Test
    void aChangedHealthcheckKeepsAReadyReplicaReadyAndJudgesAnUnhealthyOneAfresh() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        HealthCheck moreRetries = new HealthCheck(HealthCheck.Kind.TCP, null, 8080, 0, List.of(), Duration.ofMillis(100),
                Duration.ofMillis(500), 5, Duration.ZERO);
        Instant started = Instant.now();
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                HealthMonitor monitor = new HealthMonitor(null, why -> {})) {
            int open = listener.getLocalPort();
            monitor.sync(List.of(new ProbeTarget("ready", "web", 1, TCP, open, started),
                    new ProbeTarget("sick", "web", 1, TCP, closedPort, started)));
            await().atMost(Duration.ofSeconds(10)).until(() -> monitor.snapshot().get("ready").state() == ReplicaHealth.State.READY
                    && monitor.snapshot().get("sick").state() == ReplicaHealth.State.UNHEALTHY);
            Instant readySince = monitor.snapshot().get("ready").readySince();

            // The manifest's probe changes (same replicas, same runs); "sick" now answers on its port.
            monitor.sync(List.of(new ProbeTarget("ready", "web", 1, moreRetries, open, started),
                    new ProbeTarget("sick", "web", 1, moreRetries, open, started)));
            ReplicaHealth ready = monitor.snapshot().get("ready");
            assertThat(ready.state()).isEqualTo(ReplicaHealth.State.READY);
            assertThat(ready.readySince()).isEqualTo(readySince);
            assertThat(monitor.snapshot().get("sick").state()).isNotEqualTo(ReplicaHealth.State.UNHEALTHY);
            await().atMost(Duration.ofSeconds(10)).until(() -> monitor.snapshot().get("sick").state() == ReplicaHealth.State.READY);
            assertThat(monitor.snapshot().get("ready").readySince()).isEqualTo(readySince);
        }
    }
}
