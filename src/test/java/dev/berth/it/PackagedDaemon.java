package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Berth as shipped: the packaged jar in its own JVM, configured only through its environment,
 * talked to only through its REST API. For tests that kill it, restart it or upgrade it.
 */
final class PackagedDaemon implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, String> env;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final int api;
    final String token;
    private Process process;

    /**
     * @param env the BERTH_* settings of the test (manifests, state, project …); the API port and
     *            token are added here
     */
    PackagedDaemon(Map<String, String> env, Path log, int api, String token) {
        this.env = Map.copyOf(env);
        this.log = log;
        this.api = api;
        this.token = token;
    }

    /**
     * The packaged daemon's launch as the systemd unit and the image do it: this JVM, the shipped
     * settings ({@code @berth.jvm.options}) followed by {@code jvmFlags}, {@code -jar
     * quarkus-run.jar}, from the jar's directory (where the AppCDS archive is). Output and
     * environment are the caller's.
     */
    static ProcessBuilder command(List<String> jvmFlags) {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        assertThat(jar).as("the packaged daemon (mvn package runs before the integration tests)").exists();
        Path options = jar.resolveSibling("berth.jvm.options");
        assertThat(options).as("the daemon's JVM settings, copied beside the jar by the build").exists();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("@" + options.toAbsolutePath());
        command.addAll(jvmFlags);
        command.addAll(List.of("-jar", "quarkus-run.jar"));
        return new ProcessBuilder(command).directory(jar.getParent().toFile()).redirectErrorStream(true);
    }

    PackagedDaemon start() throws IOException {
        ProcessBuilder pb = command(List.of()).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        pb.environment().put("BERTH_API_TOKEN", token);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(api));
        process = pb.start();
        return this;
    }

    /** SIGKILL: no shutdown hook, no cleanup, whatever was in flight is lost. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("killed daemon exits").isTrue();
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** One service's status from the API, or null while the daemon does not answer (yet). */
    JsonNode service(String name) {
        return get("/api/v1/services/" + name);
    }

    JsonNode get(String path) {
        try {
            HttpResponse<String> r = http.send(request(path).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null; // not up (yet), or just killed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** POSTs an action; answers the HTTP status, or -1 when the daemon did not answer. */
    int post(String path) {
        try {
            return http.send(request(path).timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api + path)).header("Authorization", "Bearer " + token);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
