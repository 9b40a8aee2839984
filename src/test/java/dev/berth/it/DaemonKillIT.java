package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static dev.berth.it.TestImages.APP_V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Container;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Berth as shipped (the packaged jar, its own process) killed with SIGKILL in the middle of a
 * rollout, then started again: it finishes the rollout from labels and its state directory,
 * with no duplicate and no orphan.
 */
class DaemonKillIT extends EngineTestBase {
    static final String TOKEN = "kill-it-token";
    final HttpClient http = HttpClient.newHttpClient();
    Process daemon;
    int api;

    Process launch() throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        assertThat(jar).as("the packaged daemon (mvn package runs before the integration tests)").exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve("daemon.log").toFile()));
        var env = pb.environment();
        env.put("BERTH_MANIFESTS_DIR", manifests.toString());
        env.put("BERTH_STATE_DIR", state.toString());
        env.put("BERTH_SECRETS_DIR", secrets.toString());
        env.put("BERTH_PROJECT", project);
        env.put("BERTH_PUBLISH_ADDRESS", "127.0.0.1");
        env.put("BERTH_DEBOUNCE", "200ms");
        env.put("BERTH_RESYNC_INTERVAL", "2s");
        env.put("BERTH_API_TOKEN", TOKEN);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(api));
        return pb.start();
    }

    JsonNode service(String name) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api
                    + "/api/v1/services/" + name)).header("Authorization", "Bearer " + TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? new ObjectMapper().readTree(r.body()) : null;
        } catch (Exception e) {
            return null; // not up (yet)
        }
    }

    void awaitRevisionAvailable(int revision) {
        await().atMost(EVENTUALLY).pollInterval(java.time.Duration.ofMillis(200)).until(() -> {
            JsonNode s = service("web");
            return s != null && s.get("revision").asInt() == revision && s.get("phase").asText().equals("Available");
        });
    }

    @AfterEach
    void killDaemon() throws InterruptedException {
        if (daemon != null) {
            daemon.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void killedMidRolloutItFinishesTheRolloutAfterARestart() throws Exception {
        api = freePort();
        int port = freePort();
        // minReadySeconds slows each step, so the kill lands in the middle.
        write("web.yaml", proxiedWeb(APP_V1, port, ", minReadySeconds: 2", ""));
        daemon = launch();
        awaitRevisionAvailable(1);
        write("web.yaml", proxiedWeb(APP_V2, port, ", minReadySeconds: 2", ""));
        await().atMost(EVENTUALLY).until(() -> containers("web").stream()
                .anyMatch(c -> "2".equals(c.getLabels().get("dev.berth.revision"))));
        daemon.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
        assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<Container> midway = containers("web");
        assertThat(midway).hasSizeLessThanOrEqualTo(3)
                .anySatisfy(c -> assertThat(c.getLabels()).containsEntry("dev.berth.revision", "1"));

        daemon = launch();
        awaitRevisionAvailable(2);
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(containers())
                .hasSize(2)
                .allSatisfy(c -> assertThat(c.getLabels()).containsEntry("dev.berth.service", "web")
                        .containsEntry("dev.berth.revision", "2"))
                .extracting(c -> c.getLabels().get("dev.berth.ordinal")).containsExactlyInAnyOrder("1", "2"));
        assertThat(httpGet(port, "/").strip()).isEqualTo("v2");
    }
}
