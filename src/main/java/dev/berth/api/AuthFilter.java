package dev.berth.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import io.vertx.core.http.HttpServerRequest;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * Every request under /api/v1 needs {@code Authorization: Bearer <token>}, except reads when
 * {@code berth.api.open-reads} is on (but for manifest files and logs) and the per-service health
 * answer, which monitors probe.
 * A refusal is logged with method, path and peer, never with the token presented. Decided after
 * routing, by the resource method a request reached, so no spelling of a path (matrix
 * parameters, encoded or doubled slashes) can pass for the open health answer.
 */
public class AuthFilter {
    private static final Logger LOG = Logger.getLogger(AuthFilter.class);

    @Inject
    ApiToken token;

    @ServerRequestFilter
    public Response check(ContainerRequestContext ctx, HttpServerRequest request, SimpleResourceInfo resource) {
        String path = ctx.getUriInfo().getPath();
        jakarta.ws.rs.Path root = resource.getResourceClass().getAnnotation(jakarta.ws.rs.Path.class);
        if (root == null || !root.value().startsWith("/api/v1/") || isOpenHealth(resource)) {
            return null;
        }
        boolean read = "GET".equals(ctx.getMethod()) || "HEAD".equals(ctx.getMethod());
        if (read && token.openReads() && !isPrivateRead(resource)) {
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

    /**
     * Reads that need the token even with open reads: manifest files (their env values may be
     * credentials) and a replica's logs (whatever the program prints), unlike status, which
     * carries neither.
     */
    private static boolean isPrivateRead(SimpleResourceInfo resource) {
        return resource.getResourceClass() == ManifestsResource.class
                || (resource.getResourceClass() == ServicesResource.class && resource.getMethodName().equals("logs"));
    }

    /** The per-service health answer, which load balancers and probers call without a token. */
    private static boolean isOpenHealth(SimpleResourceInfo resource) {
        return resource.getResourceClass() == ServicesResource.class && resource.getMethodName().equals("health");
    }
}
