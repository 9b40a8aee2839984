package dev.berth.swarm;

import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.PortConfigProtocol;
import dev.berth.desired.PortSpec;
import java.util.List;

/**
 * The manifest's {@code ports} as Swarm's published ports. A proxied port ({@code mode: proxy},
 * the default) is published in {@code ingress} mode: Swarm's routing mesh listens on the port on
 * every node and balances over the service's running, healthy tasks, which is the job Berth's
 * proxy does on one host (without its HTTP features: see docs/swarm.md). A {@code mode: host}
 * port is published in {@code host} mode: the port of the node a task runs on, as {@code docker
 * run -p}. {@code http} rides on tcp.
 */
final class SwarmPorts {
    private SwarmPorts() {}

    static EndpointSpec of(List<PortSpec> ports) {
        return new EndpointSpec().withMode(EndpointResolutionMode.VIP)
                .withPorts(ports.stream().map(SwarmPorts::port).toList());
    }

    static PortConfig port(PortSpec p) {
        return new PortConfig()
                .withPublishedPort(p.port())
                .withTargetPort(p.targetPort())
                .withProtocol("udp".equals(p.transport()) ? PortConfigProtocol.UDP : PortConfigProtocol.TCP)
                .withPublishMode(p.proxied() ? PortConfig.PublishMode.ingress : PortConfig.PublishMode.host);
    }
}
