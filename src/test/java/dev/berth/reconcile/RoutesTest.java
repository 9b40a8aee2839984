package dev.berth.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.desired.ServiceSpec;
import dev.berth.observed.ContainerState;
import dev.berth.observed.ObservedContainer;
import dev.berth.observed.ObservedNetwork;
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

    static final Map<String, ObservedNetwork> BRIDGE_DEFAULT = Map.of("default", network("default", "bridge"));

    static ObservedNetwork network(String name, String driver) {
        return new ObservedNetwork("id-" + name, "p_" + name, name, true, 1, driver);
    }

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
        List<Route> routes = Routes.of(Map.of("web", web), BRIDGE_DEFAULT, List.of(c), h, leaving ? Set.of("c1") : Set.of(),
                NOW, true);
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
        List<Route> routes = Routes.of(Map.of("web", web, "worker", worker), BRIDGE_DEFAULT, cs, h, Set.of(), NOW, true);
        assertThat(routes).as("a service without proxied ports has no route").hasSize(1);
        assertThat(routes.get(0).members().stream().map(Route.Member::containerId)).containsExactlyInAnyOrder("old", "new");
    }

    /**
     * How the proxy reaches a member: the address on the first of the service's networks that
     * the engine reports as a bridge; else (or when direct is off) through the loopback port.
     */
    @ParameterizedTest(name = "service on [{0}], networks {1}, addresses {2}, direct {3} → {4}")
    @CsvSource(delimiter = '|', textBlock = """
            # service's networks | engine's networks (name=driver) | container's addresses        | direct | address
            ''                   | default=bridge                  | default=10.0.0.2             | true   | 10.0.0.2
            ''                   | default=bridge                  | default=10.0.0.2             | false  | ''
            ''                   | default=bridge                  | ''                           | true   | ''
            ''                   | ''                              | default=10.0.0.2             | true   | ''
            front                | front=macvlan                   | front=10.0.0.2               | true   | ''
            front back           | front=macvlan back=bridge       | front=10.0.0.2 back=10.1.0.2 | true   | 10.1.0.2
            back front           | front=bridge back=bridge        | front=10.0.0.2 back=10.1.0.2 | true   | 10.1.0.2
            back front           | front=bridge back=bridge        | front=10.0.0.2               | true   | 10.0.0.2
            front                | front=overlay                   | front=10.0.0.2               | true   | ''
            front                | front=bridge                    | default=10.0.0.2             | true   | ''
            """)
    void howTheProxyReachesAMember(String serviceNets, String engineNets, String addresses, boolean direct, String address) {
        ServiceSpec web = Fixtures.proxied(Fixtures.spec("web", 1), 8000);
        if (!serviceNets.isBlank()) {
            web = Fixtures.onNetworks(web, serviceNets.split(" "));
        }
        Map<String, ObservedNetwork> nets = new HashMap<>();
        pairs(engineNets).forEach((n, d) -> nets.put(n, network(n, d)));
        ObservedContainer base = container("c1", "web", 1, ContainerState.RUNNING);
        ObservedContainer c = new ObservedContainer(base.id(), base.name(), base.service(), base.revision(), base.specHash(),
                base.ordinal(), base.source(), base.state(), 0, base.startedAt(), null, base.imageId(), 0, 0,
                pairs(addresses).keySet(), base.loopbackPorts(), null, null, pairs(addresses));
        List<Route> routes = Routes.of(Map.of("web", web), nets, List.of(c), Map.of("c1", health("ready", 60)), Set.of(),
                NOW, direct);
        Route.Member m = routes.get(0).members().get(0);
        assertThat(m.address()).isEqualTo(address.isBlank() ? null : address);
        assertThat(m.loopbackPorts()).as("the loopback port is kept either way").isEqualTo(base.loopbackPorts());
    }

    private static Map<String, String> pairs(String s) {
        Map<String, String> out = new HashMap<>();
        for (String p : s.isBlank() ? new String[0] : s.trim().split(" +")) {
            out.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
        }
        return out;
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
