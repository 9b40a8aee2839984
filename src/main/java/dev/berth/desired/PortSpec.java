package dev.berth.desired;

/**
 * Host {@code port} served to {@code targetPort} in the containers. In {@code proxy} mode (the
 * default) Berth's proxy listens on the host port and balances over ready replicas, which
 * publish {@code targetPort} on 127.0.0.1 ephemeral ports; in {@code host} mode the container
 * publishes the port itself (one replica only, replaced stop-first).
 */
public record PortSpec(int port, int targetPort, String protocol, Mode mode) {

    public enum Mode { PROXY, HOST }

    /** The transport Docker publishes: {@code http} rides on tcp. */
    public String transport() {
        return "udp".equals(protocol) ? "udp" : "tcp";
    }

    public boolean proxied() {
        return mode == Mode.PROXY;
    }
}
