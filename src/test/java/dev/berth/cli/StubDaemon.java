package dev.berth.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Plays the daemon's HTTP answers as docs/api.md and notes/contract.md document them, for the
 * CLI's tests: each route ("GET /api/v1/services") answers what its function returns, every
 * request is recorded, anything else is the API's 404 body. Not a stand-in for the engine.
 */
final class StubDaemon implements AutoCloseable {

    record Reply(int status, String contentType, String body, Map<String, String> headers) {
        static Reply json(int status, String body) {
            return new Reply(status, "application/json", body, Map.of());
        }

        static Reply text(String body) {
            return new Reply(200, "text/plain", body, Map.of());
        }
    }

    record Request(String method, String path, String query, String authorization, String contentType, String body) {}

    private final HttpServer server;
    private final Map<String, Function<Request, Reply>> routes = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    StubDaemon() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    StubDaemon on(String methodAndPath, Function<Request, Reply> answer) {
        routes.put(methodAndPath, answer);
        return this;
    }

    StubDaemon on(String methodAndPath, int status, String json) {
        return on(methodAndPath, r -> Reply.json(status, json));
    }

    private void handle(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Request r = new Request(x.getRequestMethod(), x.getRequestURI().getRawPath(), x.getRequestURI().getRawQuery(),
                x.getRequestHeaders().getFirst("Authorization"), x.getRequestHeaders().getFirst("Content-Type"), body);
        requests.add(r);
        Function<Request, Reply> route = routes.get(r.method() + " " + r.path());
        Reply reply = route != null ? route.apply(r)
                : Reply.json(404, "{\"status\":404,\"message\":\"no route " + r.method() + " " + r.path() + "\"}");
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", reply.contentType());
        reply.headers().forEach((k, v) -> x.getResponseHeaders().add(k, v));
        x.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A service status as GET /api/v1/services/{name} answers it. */
    static String status(String name, String phase, String manifestHash, String message) {
        return """
                {"name":"%s","source":"%s.yaml","revision":2,"specHash":"664f4a7067274425","manifestHash":%s,
                 "image":"berth-test/app:v2","imageDigest":null,
                 "replicas":{"desired":2,"running":2,"ready":1,"updated":1},"phase":"%s","message":%s,
                 "lastError":null,"lastErrorAt":null,"restarts":0,"nextRestartAt":null,
                 "since":"2026-11-28T04:38:19.575444083Z","containers":[]}
                """.formatted(name, name, manifestHash == null ? "null" : "\"" + manifestHash + "\"", phase,
                message == null ? "null" : "\"" + message + "\"");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
