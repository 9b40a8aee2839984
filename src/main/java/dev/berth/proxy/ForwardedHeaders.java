package dev.berth.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;
import java.util.Set;

/**
 * Prepares an incoming request's headers before it is proxied, as nginx's usual reverse-proxy
 * block does: {@code X-Forwarded-For} gets the client's address appended
 * ({@code $proxy_add_x_forwarded_for}), {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} are
 * set to what this listener saw. Headers that the {@code Connection} header names are hop-by-hop
 * (RFC 9110 §7.6.1) and are dropped (so h2c's {@code HTTP2-Settings} does not reach the replica),
 * except {@code Upgrade}, which a WebSocket handshake needs, and the headers that frame the request.
 * {@code Host} is left alone: the replica sees the client's.
 *
 * <p>Works on the incoming headers themselves, because vertx-http-proxy copies them from there
 * on both of its paths (plain requests and WebSocket upgrades; the latter skips interceptors).
 */
final class ForwardedHeaders {
    /** Never dropped, whatever Connection says: the handshake, the target and the body framing. */
    private static final Set<String> KEPT = Set.of("upgrade", "close", "keep-alive", "host", "content-length",
            "transfer-encoding");

    private ForwardedHeaders() {}

    static void prepare(HttpServerRequest in) {
        MultiMap h = in.headers();
        for (String connection : h.getAll("Connection")) {
            for (String token : connection.split(",")) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && !KEPT.contains(name)) {
                    h.remove(name);
                }
            }
        }
        String remote = in.remoteAddress() == null ? null : in.remoteAddress().hostAddress();
        if (remote != null) {
            // Several X-Forwarded-For lines are one comma-separated list; keep their order.
            String prior = String.join(", ", h.getAll("X-Forwarded-For"));
            h.set("X-Forwarded-For", prior.isBlank() ? remote : prior + ", " + remote);
        }
        h.set("X-Forwarded-Proto", in.scheme() == null ? "http" : in.scheme());
        if (in.authority() != null) {
            h.set("X-Forwarded-Host", in.authority().toString());
        }
    }
}
