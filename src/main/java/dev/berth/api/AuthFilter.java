package dev.berth.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import io.vertx.core.http.HttpServerRequest;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every request under /api/v1 needs {@code Authorization: Bearer <token>}, except reads when
 * {@code berth.api.open-reads} is on and the per-service health answer, which monitors probe.
 * A refusal is logged with method, path and peer, never with the token presented.
 */
public class AuthFilter {
    private static final Logger LOG = Logger.getLogger(AuthFilter.class);

    @Inject
    ApiToken token;

    @ServerRequestFilter(preMatching = true)
    public Response check(ContainerRequestContext ctx, HttpServerRequest request) {
        String path = ctx.getUriInfo().getPath();
        if (!path.startsWith("/api/v1/") || path.endsWith("/health")) {
            return null;
        }
        boolean read = "GET".equals(ctx.getMethod()) || "HEAD".equals(ctx.getMethod());
        if (read && token.openReads()) {
            return null;
        }
        String header = ctx.getHeaderString("Authorization");
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
        if (token.matches(presented)) {
            return null;
        }
        String peer = request.remoteAddress() == null ? "?" : request.remoteAddress().hostAddress();
        LOG.warnf("unauthorized %s %s from %s (%s)", ctx.getMethod(), path, peer,
                presented == null ? "no bearer token" : "wrong token");
        return ApiError.response(401, presented == null
                ? "this call needs 'Authorization: Bearer <token>' (see berth.api.token or <state-dir>/api-token)"
                : "the bearer token is not valid");
    }
}
