package dev.berth.proxy;

import java.time.Duration;

/**
 * The proxy's two clocks for {@code protocol: http} ports.
 *
 * @param request from the moment a request is handed to a replica until that replica's response
 *                headers arrive (sending the request body counts). Past it the client gets 504
 *                and the origin connection is reset. Default 60 s, nginx's
 *                {@code proxy_read_timeout}: long enough for slow-but-working endpoints that ran
 *                behind nginx before Berth, short enough that a hung replica does not hold
 *                clients for ever.
 * @param idle    a client connection with no bytes either way for this long is closed: an idle
 *                keep-alive connection, a quiet streaming response or a quiet WebSocket. Default
 *                75 s, nginx's {@code keepalive_timeout}. Keep it above {@code request}, or a slow
 *                request loses its connection before it can be answered 504.
 */
public record ProxyTimeouts(Duration request, Duration idle) {

    public static final ProxyTimeouts DEFAULTS = new ProxyTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(75));

    public ProxyTimeouts {
        if (request.isNegative() || request.isZero() || idle.isNegative() || idle.isZero()) {
            throw new IllegalArgumentException("proxy timeouts must be positive: request=" + request + " idle=" + idle);
        }
    }
}
