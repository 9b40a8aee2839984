package dev.berth.proxy;

import java.util.List;
import java.util.Map;

/**
 * What the proxy should serve for one service: its proxied ports, and the replicas that take
 * traffic (ready, past minReadySeconds, not leaving) with their loopback port per container port.
 */
public record Route(String service, List<Port> ports, List<Member> members) {

    public record Port(int hostPort, int targetPort, String protocol) {}

    public record Member(String containerId, Map<Integer, Integer> loopbackPorts) {}

    public Route {
        ports = List.copyOf(ports);
        members = List.copyOf(members);
    }
}
