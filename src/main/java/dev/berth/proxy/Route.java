package dev.berth.proxy;

import java.util.List;
import java.util.Map;

/**
 * What the proxy should serve for one service: its proxied ports, and the replicas that take
 * traffic (ready, past minReadySeconds, not leaving) with their loopback port per container port.
 */
public record Route(String service, List<Port> ports, List<Member> members) {

    public record Port(int hostPort, int targetPort, String protocol) {}

    /**
     * A replica that takes traffic. {@code address}: where the proxy reaches it directly (its
     * address on a bridge network, at the container port), or null to go through its loopback
     * port ({@code loopbackPorts}: container port → port published on 127.0.0.1), which passes
     * the engine's userland proxy. Route tables written before addresses existed read as null.
     */
    public record Member(String containerId, Map<Integer, Integer> loopbackPorts, String address) {
        /** Reached through its loopback ports only. */
        public Member(String containerId, Map<Integer, Integer> loopbackPorts) {
            this(containerId, loopbackPorts, null);
        }
    }

    public Route {
        ports = List.copyOf(ports);
        members = List.copyOf(members);
    }
}
