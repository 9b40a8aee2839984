package dev.berth.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The launcher's training run for its AppCDS archive (src/main/launcher/berth): a few typical
 * calls against a stand-in server in this JVM, so the archive holds the classes of picocli's
 * parsing, the HTTP client, Jackson and the table that a real {@code berth get services} loads.
 */
final class CdsTraining {
    private static final String SERVICES = """
            [{"name":"web","source":"web.yaml","revision":2,"specHash":"664f4a7067274425","manifestHash":"sha256:ab",
              "image":"berth-test/app:v2","imageDigest":null,
              "replicas":{"desired":2,"running":2,"ready":2,"updated":2},"phase":"Available","message":null,
              "lastError":null,"lastErrorAt":null,"restarts":0,"nextRestartAt":null,
              "since":"2026-11-28T04:38:19.575444083Z","containers":[]}]
            """;

    private CdsTraining() {}

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = SERVICES.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            Io io = new Io(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                    Map.of("BERTH_CONFIG", "/nonexistent/berth-config.yaml"), Path.of("/nonexistent"));
            BerthCli.run(io, "get", "services", "--server", url, "--token", "t");
            BerthCli.run(io, "get", "services", "web", "-o", "json", "--server", url, "--token", "t");
            BerthCli.run(io, "--help");
        } finally {
            server.stop(0);
        }
    }
}
