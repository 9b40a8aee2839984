package dev.berth.reconcile;

import dev.berth.desired.PortSpec;
import dev.berth.desired.ServiceSpec;
import dev.berth.observed.Availability;
import dev.berth.observed.ObservedContainer;
import dev.berth.observed.ObservedNetwork;
import dev.berth.observed.ReplicaHealth;
import dev.berth.proxy.Route;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which replicas take traffic: up, ready for at least minReadySeconds, and not leaving — of
 * any revision, so old and new both serve while a rollout overlaps them — and how the proxy
 * reaches each. Pure.
 */
final class Routes {
    /** The only network driver whose container addresses the host itself reaches. */
    static final String BRIDGE = "bridge";

    private Routes() {}

    /**
     * @param networks   the engine's networks of the project, by Berth's name (their drivers)
     * @param direct     whether the proxy may reach replicas at their addresses at all (it runs on
     *                   the engine's host, in its network namespace: {@code proxy.Upstream})
     */
    static List<Route> of(Map<String, ServiceSpec> services, Map<String, ObservedNetwork> networks,
            List<ObservedContainer> containers, Map<String, ReplicaHealth> health, Set<String> leaving,
            Instant now, boolean direct) {
        List<Route> out = new ArrayList<>();
        for (ServiceSpec s : services.values()) {
            List<Route.Port> ports = s.ports().stream().filter(PortSpec::proxied)
                    .map(p -> new Route.Port(p.port(), p.targetPort(), p.protocol())).toList();
            if (ports.isEmpty()) {
                continue;
            }
            List<Route.Member> members = new ArrayList<>();
            for (ObservedContainer c : containers) {
                if (c.service().equals(s.name()) && !leaving.contains(c.id())
                        && Availability.available(c, health, s.update().minReady(), now)) {
                    members.add(new Route.Member(c.id(), c.loopbackPorts(), direct ? address(s, networks, c) : null));
                }
            }
            out.add(new Route(s.name(), ports, members));
        }
        return out;
    }

    /**
     * The replica's address on the first of the service's networks that the engine reports as a
     * bridge, or null: on a macvlan, ipvlan or overlay network the host may not reach it, and a
     * container on none has no address.
     */
    static String address(ServiceSpec s, Map<String, ObservedNetwork> networks, ObservedContainer c) {
        for (String n : s.joinedNetworks()) {
            ObservedNetwork on = networks.get(n);
            String a = c.addresses().get(n);
            if (on != null && BRIDGE.equals(on.driver()) && a != null) {
                return a;
            }
        }
        return null;
    }

    /** When the next replica passes its minReadySeconds and should join, or null. */
    static Instant nextJoin(Map<String, ServiceSpec> services, List<ObservedContainer> containers,
            Map<String, ReplicaHealth> health, Instant now) {
        Instant next = null;
        for (ObservedContainer c : containers) {
            ServiceSpec s = services.get(c.service());
            ReplicaHealth h = health.get(c.id());
            if (s == null || h == null || h.state() != ReplicaHealth.State.READY) {
                continue;
            }
            Instant at = h.readySince().plus(s.update().minReady());
            if (at.isAfter(now) && (next == null || at.isBefore(next))) {
                next = at;
            }
        }
        return next;
    }
}
