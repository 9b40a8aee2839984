package dev.berth.health;

import dev.berth.desired.HealthCheck;
import dev.berth.engine.DockerEngine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Runs one probe. HTTP and TCP probes go to the replica's port published on 127.0.0.1; exec
 * probes run in the container through the engine. Answers null when the probe passed, else why
 * it failed. Connection attempts are short (a connect to a starting container may otherwise wait
 * for a SYN retransmit), and the next interval retries.
 */
final class Probes {
    private final DockerEngine engine;
    /** Plain HTTP only, redirects not followed: no TLS context (the JDK's default costs a start 0.1 s). */
    private final HttpClient http = dev.berth.net.NoTls.plainHttp().connectTimeout(Duration.ofMillis(500))
            .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();

    Probes(DockerEngine engine) {
        this.engine = engine;
    }

    String run(ProbeTarget t) {
        HealthCheck hc = t.check();
        try {
            switch (hc.kind()) {
                case HTTP -> {
                    if (t.port() == null) {
                        return "port " + hc.port() + " is not published";
                    }
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(
                                    URI.create("http://" + t.host() + ":" + t.port() + hc.path())).timeout(hc.timeout())
                            .header("User-Agent", "berth-probe").GET().build(), HttpResponse.BodyHandlers.discarding());
                    boolean ok = hc.status() == 0 ? r.statusCode() >= 200 && r.statusCode() < 400 : r.statusCode() == hc.status();
                    return ok ? null : "HTTP " + r.statusCode();
                }
                case TCP -> {
                    if (t.port() == null) {
                        return "port " + hc.port() + " is not published";
                    }
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(t.host(), t.port()), (int) hc.timeout().toMillis());
                        return null;
                    }
                }
                default -> {
                    int code = engine.exec(t.containerId(), hc.command(), hc.timeout());
                    return code == 0 ? null : code < 0 ? "timed out" : "exit code " + code;
                }
            }
        } catch (IOException e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }
}
