package dev.berth.api;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's package, installed by .ci/test) on loopback, scraping one Berth
 * every second. Fails loudly when the binary is missing: the metrics test must not pass silently.
 */
final class Prometheus implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    private Prometheus(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    static Prometheus start(int berthPort) throws IOException, InterruptedException {
        Path binary = Path.of("/usr/bin/prometheus");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("Prometheus is not installed (apt-get install prometheus; .ci/test does it)");
        }
        int port = dev.berth.testing.Ports.free();
        Path dir = Files.createTempDirectory("prometheus");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                rule_files: [%s]
                scrape_configs:
                  - job_name: berth
                    metrics_path: /q/metrics
                    static_configs: [{targets: ["127.0.0.1:%d"]}]
                """.formatted(Path.of("deploy/monitoring/berth-alerts.yml").toAbsolutePath(), berthPort));
        Process p = new ProcessBuilder(binary.toString(), "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        Prometheus prom = new Prometheus(p, port, dir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                if (prom.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return prom;
                }
            } catch (IOException starting) {
                // not listening yet
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("Prometheus exited: " + Files.readString(dir.resolve("prometheus.log")));
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Prometheus did not become ready: " + Files.readString(dir.resolve("prometheus.log")));
    }

    /** The raw JSON answer of an instant query. */
    String query(String promql) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
