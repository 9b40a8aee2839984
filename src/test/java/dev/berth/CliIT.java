package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cli.BerthCli;
import dev.berth.testing.EngineProjects;
import dev.berth.testing.OwnProjectResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code berth} command line against the daemon as shipped and the real engine: {@code apply
 * --wait} as a pipeline gate (exit 0 for a good image, non-zero with the reason for an image that
 * fails its probe and one that does not exist), {@code get services}, {@code rollout undo}. The
 * CLI runs in this JVM (its entry point, not the launcher); tests run in order and build on each other.
 */
@QuarkusTest
@QuarkusTestResource(value = CliIT.Project.class, restrictToAnnotatedClass = true)
@TestProfile(CliIT.OwnApplication.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliIT {
    /** An application of its own: its settings (token, directories) must not mix with other tests'. */
    public static class OwnApplication implements QuarkusTestProfile {}

    static final String TOKEN = "cli-it-" + UUID.randomUUID();
    static final ObjectMapper JSON = new ObjectMapper();

    /** Its own project on new directories; the manifests directory starts empty (the CLI fills it). */
    public static class Project extends OwnProjectResource {
        static Path manifests;

        public Project() {
            super("cli", "berth-cli-it");
        }

        @Override
        protected Map<String, String> prepare(String project, EngineProjects.Dirs dirs) {
            manifests = dirs.manifests();
            return EngineProjects.settings(project, dirs, TOKEN);
        }
    }

    @TestHTTPResource("/")
    URL base;

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    Run berth(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String server = base.toString().replaceAll("/$", "");
        int code = BerthCli.run(new PrintWriter(out, true), new PrintWriter(err, true),
                Map.of("BERTH_SERVER", server, "BERTH_API_TOKEN", TOKEN, "BERTH_STATE_DIR", tmp.toString()), tmp, args);
        return new Run(code, out.toString(), err.toString());
    }

    Path manifest(String file, String name, String image, String extra) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("push-" + UUID.randomUUID()));
        Path f = dir.resolve(file);
        Files.writeString(f, """
                apiVersion: berth.dev/v1
                kind: Service
                metadata: {name: %s}
                spec:
                  image: %s
                  replicas: 2
                  init: true
                  stopGracePeriod: 2s
                  healthcheck: {http: {path: %s, port: 8080}, interval: 300ms, timeout: 1s, retries: 2}
                  update: {maxSurge: 1, maxUnavailable: 0, progressDeadlineSeconds: 20, monitorSeconds: 2}
                %s""".formatted(name, image, extra.contains("badProbe") ? "/nope" : "/cgi-bin/healthz",
                extra.replace("badProbe", "")));
        return f;
    }

    JsonNode status(String name) throws IOException {
        Run r = berth("get", "services", name, "-o", "json");
        assertThat(r.code()).as(r.toString()).isZero();
        return JSON.readTree(r.out());
    }

    @Test
    @Order(1)
    void applyWaitOfAGoodImageEndsAvailable() throws Exception {
        Run r = berth("apply", "-f", manifest("web.yaml", "web", "berth-test/app:v1", "").toString(), "--wait",
                "--timeout", "2m");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("web.yaml created (web)").contains("web: rollout complete (Available, revision 1)");
        assertThat(Files.exists(Project.manifests.resolve("web.yaml"))).isTrue();
    }

    @Test
    @Order(2)
    void getServicesShowsIt() {
        Run r = berth("get", "services");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("NAME").containsPattern("(?m)^web\\s+Available\\s+2/2\\s+2\\s+1\\s+berth-test/app:v1");
    }

    @Test
    @Order(3)
    void anUpdateThenRolloutUndoGoesBack() throws Exception {
        Run r = berth("apply", "-f", manifest("web.yaml", "web", "berth-test/app:v2", "").toString(), "--wait",
                "--timeout", "2m");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(status("web").path("image").asText()).isEqualTo("berth-test/app:v2");
        Run undo = berth("rollout", "undo", "web");
        assertThat(undo.code()).as(undo.toString()).isZero();
        assertThat(undo.out()).startsWith("web: rollback accepted; now ");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode s = status("web");
            assertThat(s.path("revision").asInt()).isEqualTo(1);
            assertThat(s.path("phase").asText()).isEqualTo("RolledBack");
            assertThat(s.path("replicas").path("ready").asInt()).isEqualTo(2);
        });
        Run history = berth("rollout", "history", "web");
        assertThat(history.out()).containsPattern("(?m)^1\\s+berth-test/app:v1.*\\*");
    }

    @Test
    @Order(4)
    void applyWaitOfAnImageThatFailsItsProbeFailsWithTheReason() throws Exception {
        Run r = berth("apply", "-f", manifest("sick.yaml", "sick", "berth-test/app:v1", "badProbe").toString(), "--wait",
                "--timeout", "2m");
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("rollout of sick failed: Failed: rollout failed: ");
    }

    @Test
    @Order(5)
    void applyWaitOfAnImageThatDoesNotExistFailsWithTheReason() throws Exception {
        Run r = berth("apply", "-f", manifest("ghost.yaml", "ghost", "berth-test/does-not-exist:1",
                "  pullPolicy: never\n").toString(), "--wait", "--timeout", "2m");
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("rollout of ghost failed: Failed")
                .contains("is not on the host and pullPolicy is never");
    }

    @Test
    @Order(6)
    void theDaemonRefusesAnInvalidManifestWithFileLineAndField() throws Exception {
        Path f = manifest("web.yaml", "sick", "berth-test/app:v1", ""); // the name "sick" is already declared by sick.yaml
        Run r = berth("apply", "-f", f.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("web.yaml:3: metadata.name:");
    }
}
