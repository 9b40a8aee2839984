package dev.berth.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.desired.ServiceSpec;
import dev.berth.observed.ContainerState;
import dev.berth.observed.ObservedContainer;
import dev.berth.observed.ReplicaHealth;
import dev.berth.plan.Fixtures;
import dev.berth.proxy.Route;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Which replicas take traffic: up, available (ready for minReadySeconds), not leaving — of any revision. */
class RoutesTest {
    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    static ObservedContainer container(String id, String service, int revision, ContainerState state) {
        return new ObservedContainer(id, "p-" + service + "-" + id, service, revision, "h" + revision, 1, service + ".yaml",
                state, 0, NOW.minusSeconds(60), null, "sha256:x", 0, 0, Set.of("default"), Map.of(8080, 40000 + id.length()));
    }

    static ReplicaHealth health(String state, long readyForSeconds) {
        return switch (state) {
            case "none" -> null;
            case "starting" -> ReplicaHealth.STARTING;
            case "ready" -> new ReplicaHealth(ReplicaHealth.State.READY, 0, NOW.minusSeconds(readyForSeconds), null, null);
            case "unhealthy" -> new ReplicaHealth(ReplicaHealth.State.UNHEALTHY, 3, null, NOW.minusSeconds(1), "refused");
            default -> throw new IllegalArgumentException(state);
        };
    }

    @ParameterizedTest(name = "{0}, {1} for {2}s, minReady {3}s, leaving {4} → member {5}")
    @CsvSource(delimiter = '|', textBlock = """
            # container | health    | ready for | minReady | leaving | member
            running     | ready     | 60        | 0        | false   | true
            running     | ready     | 0         | 0        | false   | true
            running     | ready     | 3         | 5        | false   | false
            running     | ready     | 5         | 5        | false   | true
            running     | starting  | 0         | 0        | false   | false
            running     | unhealthy | 0         | 0        | false   | false
            running     | none      | 0         | 0        | false   | false
            running     | ready     | 60        | 0        | true    | false
            exited      | ready     | 60        | 0        | false   | false
            paused      | ready     | 60        | 0        | false   | false
            """)
    void membership(String state, String health, long readyFor, long minReady, boolean leaving, boolean member) {
        ServiceSpec web = Fixtures.minReady(Fixtures.proxied(Fixtures.spec("web", 1), 8000), Duration.ofSeconds(minReady));
        ObservedContainer c = container("c1", "web", 1, ContainerState.valueOf(state.toUpperCase()));
        Map<String, ReplicaHealth> h = new HashMap<>();
        ReplicaHealth rh = health(health, readyFor);
        if (rh != null) {
            h.put("c1", rh);
        }
        List<Route> routes = Routes.of(Map.of("web", web), List.of(c), h, leaving ? Set.of("c1") : Set.of(), NOW);
        assertThat(routes).hasSize(1);
        assertThat(routes.get(0).ports()).containsExactly(new Route.Port(8000, 8080, "http"));
        assertThat(routes.get(0).members().stream().map(Route.Member::containerId).toList())
                .isEqualTo(member ? List.of("c1") : List.of());
    }

    @Test
    void oldAndNewRevisionsServeSideBySideAndOtherServicesStayOut() {
        ServiceSpec web = Fixtures.proxied(Fixtures.spec("web", 2), 8000);
        ServiceSpec worker = Fixtures.spec("worker", 1);
        List<ObservedContainer> cs = List.of(container("old", "web", 1, ContainerState.RUNNING),
                container("new", "web", 2, ContainerState.RUNNING), container("w", "worker", 1, ContainerState.RUNNING));
        Map<String, ReplicaHealth> h = Map.of("old", health("ready", 60), "new", health("ready", 1), "w", health("ready", 60));
        List<Route> routes = Routes.of(Map.of("web", web, "worker", worker), cs, h, Set.of(), NOW);
        assertThat(routes).as("a service without proxied ports has no route").hasSize(1);
        assertThat(routes.get(0).members().stream().map(Route.Member::containerId)).containsExactlyInAnyOrder("old", "new");
    }

    @Test
    void theNextJoinIsWhenAReadyReplicaPassesMinReady() {
        ServiceSpec web = Fixtures.minReady(Fixtures.proxied(Fixtures.spec("web", 2), 8000), Duration.ofSeconds(10));
        List<ObservedContainer> cs = List.of(container("a", "web", 1, ContainerState.RUNNING),
                container("bb", "web", 1, ContainerState.RUNNING), container("ccc", "web", 1, ContainerState.RUNNING));
        Map<String, ReplicaHealth> h = Map.of("a", health("ready", 4), "bb", health("ready", 7), "ccc", health("ready", 30));
        assertThat(Routes.nextJoin(Map.of("web", web), cs, h, NOW)).isEqualTo(NOW.plusSeconds(3));
        assertThat(Routes.nextJoin(Map.of("web", web), List.of(cs.get(2)), h, NOW)).as("all joined").isNull();
    }
}
