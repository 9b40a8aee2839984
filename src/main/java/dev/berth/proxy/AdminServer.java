package dev.berth.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The data plane's admin channel: plain HTTP on loopback, every request with
 * {@code Authorization: Bearer <admin token>}. The control plane is its only client.
 * <ul>
 *   <li>{@code GET /routes}: the table served now (JSON array of {@link Route});</li>
 *   <li>{@code PUT /routes}: replaces the whole table; answers the per-service errors (a port
 *       that cannot be opened) as a JSON object, {@code {}} when all is well;</li>
 *   <li>{@code POST /drain/{containerId}?deadlineMs=N}: takes the replica out of every listener
 *       and answers once nothing is in flight to it, or at the deadline;</li>
 *   <li>{@code GET /counters}: requests and 5xx answers per listening port.</li>
 * </ul>
 * Applying may open ports, which blocks, so it runs off the event loop.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AdminServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longest drain the channel waits for; the control plane asks for its drainSeconds. */
    private static final Duration MAX_DRAIN = Duration.ofHours(1);

    private final Vertx vertx;
    private final PersistentSwitch proxy;
    private final String token;
    private HttpServer server;

    public AdminServer(Vertx vertx, PersistentSwitch proxy, String token) {
        this.vertx = vertx;
        this.proxy = proxy;
        this.token = token;
    }

    /** Listens on {@code host:port}; throws when the port cannot be had. */
    public AdminServer listen(String host, int port) throws Exception {
        server = vertx.createHttpServer().requestHandler(this::handle);
        server.listen(port, host).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        LOG.infof("proxy admin channel listening on %s:%d", host, port);
        return this;
    }

    private void handle(HttpServerRequest req) {
        if (!AdminToken.matches(token, req.getHeader("Authorization"))) {
            req.response().setStatusCode(401).end("admin token required\n");
            return;
        }
        String path = req.path();
        if (path.equals("/routes") && req.method() == HttpMethod.GET) {
            json(req, RouteTable.toJson(proxy.table()));
        } else if (path.equals("/routes") && req.method() == HttpMethod.PUT) {
            req.body().onSuccess(body -> put(req, body)).onFailure(e -> fail(req, 400, e.getMessage()));
        } else if (path.startsWith("/drain/") && req.method() == HttpMethod.POST) {
            drain(req, path.substring("/drain/".length()));
        } else if (path.equals("/counters") && req.method() == HttpMethod.GET) {
            try {
                json(req, JSON.writeValueAsBytes(proxy.counters()));
            } catch (JsonProcessingException e) {
                fail(req, 500, e.getMessage());
            }
        } else {
            fail(req, 404, "no such admin endpoint: " + req.method() + " " + path);
        }
    }

    private void put(HttpServerRequest req, Buffer body) {
        final java.util.List<Route> routes;
        try {
            routes = RouteTable.fromJson(body.getBytes());
        } catch (IllegalArgumentException e) {
            fail(req, 400, e.getMessage());
            return;
        }
        vertx.<Map<String, String>>executeBlocking(() -> proxy.apply(routes), false).onComplete(ar -> {
            if (ar.failed()) {
                fail(req, 500, String.valueOf(ar.cause()));
                return;
            }
            try {
                json(req, JSON.writeValueAsBytes(ar.result()));
            } catch (JsonProcessingException e) {
                fail(req, 500, e.getMessage());
            }
        });
    }

    private void drain(HttpServerRequest req, String containerId) {
        Duration deadline;
        try {
            deadline = Duration.ofMillis(Long.parseLong(req.getParam("deadlineMs", "10000")));
        } catch (NumberFormatException e) {
            fail(req, 400, "deadlineMs must be a number of milliseconds");
            return;
        }
        if (containerId.isEmpty() || deadline.isNegative() || deadline.compareTo(MAX_DRAIN) > 0) {
            fail(req, 400, "a container id and a deadline between 0 and " + MAX_DRAIN.toMillis() + " ms are needed");
            return;
        }
        vertx.<java.util.concurrent.CompletableFuture<Void>>executeBlocking(() -> proxy.drain(containerId, deadline), false)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        fail(req, 500, String.valueOf(ar.cause()));
                        return;
                    }
                    ar.result().whenComplete((v, e) -> json(req, "{}".getBytes()));
                });
    }

    private static void json(HttpServerRequest req, byte[] body) {
        req.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(body));
    }

    private static void fail(HttpServerRequest req, int status, String message) {
        if (!req.response().ended()) {
            req.response().setStatusCode(status).putHeader("Content-Type", "text/plain").end(message + "\n");
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
