package dev.berth.desired;

/** Host {@code port} published to {@code targetPort} in the container. */
public record PortSpec(int port, int targetPort, String protocol) {

    /** The transport Docker publishes: {@code http} rides on tcp. */
    public String transport() {
        return "udp".equals(protocol) ? "udp" : "tcp";
    }
}
