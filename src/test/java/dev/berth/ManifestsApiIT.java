package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.testing.AfterEngineProject;
import dev.berth.testing.EngineProjects;
import dev.berth.testing.OwnProjectResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Manifests pushed over the API to the daemon as shipped, against the real engine: a push that
 * converges (status shows the pushed manifestHash, then Available), a refused push that writes
 * nothing, lost-update protection, reading, the dry run, a replica's logs, and removal. Tests run
 * in order; each builds on the one before.
 */
@QuarkusTest
@QuarkusTestResource(value = ManifestsApiIT.Project.class, restrictToAnnotatedClass = true)
@TestProfile(ManifestsApiIT.OwnApplication.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManifestsApiIT {
    /** An application (and project) of its own. */
    public static class OwnApplication implements QuarkusTestProfile {}

    static final String TOKEN = "manifests-token-" + UUID.randomUUID();
    static final String BUSYBOX = "berth-test/busybox:latest";
    static final String GREETING = "hello-from-web-" + UUID.randomUUID().toString().substring(0, 8);
    static Path manifests;

    /** A project with one service of its own ({@code keeper}), so removing {@code web} never empties the directory. */
    public static class Project extends OwnProjectResource implements AfterEngineProject {
        public Project() {
            super("push", "berth-push-it");
        }

        @Override
        protected Map<String, String> prepare(String project, EngineProjects.Dirs dirs) throws IOException {
            manifests = dirs.manifests();
            Files.writeString(manifests.resolve("keeper.yaml"), service("keeper", BUSYBOX, 1, "sleep 3600"));
            return EngineProjects.settings(project, dirs, TOKEN);
        }
    }

    static String service(String name, String image, int replicas, String script) {
        return """
                apiVersion: berth.dev/v1
                kind: Service
                metadata: {name: %s}
                spec:
                  image: %s
                  replicas: %d
                  init: true
                  stopGracePeriod: 1s
                  command: [sh, -c, '%s']
                """.formatted(name, image, replicas, script);
    }

    static final String WEB = service("web", BUSYBOX, 1, "echo " + GREETING + "; exec sleep 3600");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** The hash of web.yaml as pushed by the first test. */
    static String webHash;

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void waitForFirstPass() {
        await().atMost(Duration.ofSeconds(60)).until(() -> "Available".equals(status("keeper").path("phase").asText()));
    }

    HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path.substring(1)))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/yaml");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode status(String service) throws Exception {
        HttpResponse<String> r = send("GET", "/api/v1/services/" + service, null);
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.createObjectNode();
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    @Test
    @Order(1)
    void aValidPushIsWrittenAndConverges() throws Exception {
        HttpResponse<String> r = send("PUT", "/api/v1/manifests/web.yaml", WEB, "If-None-Match", "*");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode body = json(r);
        webHash = body.path("hash").asText();
        assertThat(webHash).startsWith("sha256:");
        assertThat(r.headers().firstValue("ETag")).hasValue("\"" + webHash + "\"");
        assertThat(body.path("path").asText()).isEqualTo("web.yaml");
        assertThat(body.path("created").asBoolean()).isTrue();
        assertThat(body.path("services").get(0).path("name").asText()).isEqualTo("web");
        String manifestHash = body.path("services").get(0).path("manifestHash").asText();
        assertThat(manifests.resolve("web.yaml")).hasBinaryContent(WEB.getBytes(java.nio.charset.StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode s = status("web");
            assertThat(s.path("manifestHash").asText()).isEqualTo(manifestHash);
            assertThat(s.path("phase").asText()).isEqualTo("Available");
        });
        HttpResponse<String> again = send("PUT", "/api/v1/manifests/web.yaml", WEB, "If-None-Match", "*");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(412);
    }

    @Test
    @Order(2)
    void anInvalidPushIs422WithTheLineAndWritesNothing() throws Exception {
        String bad = WEB.replace("replicas: 1", "replicas: -3");
        HttpResponse<String> r = send("PUT", "/api/v1/manifests/web.yaml", bad);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        JsonNode p = json(r).path("problems").get(0);
        assertThat(p.path("file").asText()).isEqualTo("web.yaml");
        assertThat(p.path("line").asInt()).isEqualTo(6);
        assertThat(p.path("field").asText()).isEqualTo("spec.replicas");
        assertThat(json(r).path("status").asInt()).isEqualTo(422);

        HttpResponse<String> dup = send("PUT", "/api/v1/manifests/copy.yaml", WEB);
        assertThat(dup.statusCode()).as(dup.body()).isEqualTo(422);
        assertThat(dup.body()).contains("already declared");

        assertThat(manifests.resolve("web.yaml")).hasBinaryContent(WEB.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(manifests.resolve("copy.yaml")).doesNotExist();
        // The HTTP layer may resolve the encoded dots itself (then nothing is routed: 404).
        assertThat(send("PUT", "/api/v1/manifests/%2e%2e/escape.yaml", WEB).statusCode()).isIn(400, 404);
        assertThat(send("PUT", "/api/v1/manifests/team%2F..%2F..%2Fescape.yaml", WEB).statusCode()).isIn(400, 404);
        assertThat(manifests.getParent().resolve("escape.yaml")).doesNotExist();
        assertThat(send("PUT", "/api/v1/manifests/.hidden.yaml", WEB).statusCode()).isEqualTo(400);
        assertThat(send("PUT", "/api/v1/manifests/web.json", WEB).statusCode()).isEqualTo(400);
    }

    @Test
    @Order(3)
    void aStaleIfMatchIs412AndChangesNothing() throws Exception {
        String other = WEB.replace("replicas: 1", "replicas: 2");
        HttpResponse<String> r = send("PUT", "/api/v1/manifests/web.yaml", other, "If-Match",
                "\"sha256:0000000000000000000000000000000000000000000000000000000000000000\"");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(412);
        assertThat(json(r).path("message").asText()).contains(webHash);
        assertThat(manifests.resolve("web.yaml")).hasBinaryContent(WEB.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        // The same bytes with the right hash: 200, and nothing to converge.
        HttpResponse<String> same = send("PUT", "/api/v1/manifests/web.yaml", WEB, "If-Match", "\"" + webHash + "\"");
        assertThat(same.statusCode()).as(same.body()).isEqualTo(200);
        assertThat(json(same).path("created").asBoolean()).isFalse();
    }

    @Test
    @Order(4)
    void listsAndReadsFiles() throws Exception {
        HttpResponse<String> list = send("GET", "/api/v1/manifests", null);
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode files = json(list);
        assertThat(files).extracting(f -> f.path("path").asText()).containsExactly("keeper.yaml", "web.yaml");
        assertThat(files.get(1).path("hash").asText()).isEqualTo(webHash);
        assertThat(files.get(1).path("size").asLong()).isEqualTo(Files.size(manifests.resolve("web.yaml")));

        HttpResponse<String> one = send("GET", "/api/v1/manifests/web.yaml", null);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.body()).isEqualTo(Files.readString(manifests.resolve("web.yaml")));
        assertThat(one.headers().firstValue("ETag")).hasValue("\"" + webHash + "\"");
        assertThat(one.headers().firstValue("Content-Type").orElse("")).startsWith("application/yaml");
        assertThat(send("GET", "/api/v1/manifests/nope.yaml", null).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(5)
    void planShowsTheUpdateAndChangesNothing() throws Exception {
        String v2 = WEB.replace(BUSYBOX, "berth-test/app:v2").replace("replicas: 1", "replicas: 3");
        HttpResponse<String> r = send("POST", "/api/v1/plan?path=web.yaml", v2);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode web = json(r).path("services").get(0);
        assertThat(web.path("name").asText()).isEqualTo("web");
        assertThat(web.path("action").asText()).isEqualTo("update");
        assertThat(web.path("changes")).extracting(JsonNode::asText).containsExactly("image", "replicas");
        assertThat(web.path("replicas").path("from").asInt()).isEqualTo(1);
        assertThat(web.path("replicas").path("to").asInt()).isEqualTo(3);

        HttpResponse<String> scale = send("POST", "/api/v1/plan?path=web.yaml", WEB.replace("replicas: 1", "replicas: 2"));
        assertThat(json(scale).path("services").get(0).path("action").asText()).isEqualTo("scale");
        HttpResponse<String> other = send("POST", "/api/v1/plan?path=web.yaml", service("api", BUSYBOX, 1, "sleep 1"));
        assertThat(json(other).path("services")).extracting(s -> s.path("name").asText() + ":" + s.path("action").asText())
                .containsExactly("api:create", "web:remove");
        HttpResponse<String> bad = send("POST", "/api/v1/plan?path=web.yaml", WEB.replace("replicas: 1", "replicas: -1"));
        assertThat(bad.statusCode()).isEqualTo(422);

        assertThat(manifests.resolve("web.yaml")).hasBinaryContent(WEB.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(status("web").path("image").asText()).isEqualTo(BUSYBOX);
    }

    @Test
    @Order(6)
    void logsAreTheReplicasOutput() throws Exception {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> r = send("GET", "/api/v1/services/web/logs?tail=50", null);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            assertThat(r.body()).contains(GREETING);
        });
        assertThat(send("GET", "/api/v1/services/web/logs?replica=1", null).body()).contains(GREETING);
        assertThat(send("GET", "/api/v1/services/web/logs?replica=7", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/api/v1/services/nope/logs", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/api/v1/services/web/logs?tail=-1", null).statusCode()).isEqualTo(400);
    }

    @Test
    @Order(7)
    void deleteRemovesTheFileAndTheService() throws Exception {
        assertThat(send("DELETE", "/api/v1/manifests/web.yaml", null, "If-Match", "\"sha256:stale\"").statusCode())
                .isEqualTo(412);
        assertThat(manifests.resolve("web.yaml")).exists();
        HttpResponse<String> r = send("DELETE", "/api/v1/manifests/web.yaml", null, "If-Match", "\"" + webHash + "\"");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        assertThat(manifests.resolve("web.yaml")).doesNotExist();
        await().atMost(Duration.ofSeconds(60)).until(() -> send("GET", "/api/v1/services/web", null).statusCode() == 404);
        assertThat(send("DELETE", "/api/v1/manifests/web.yaml", null).statusCode()).isEqualTo(404);
        // The last file: removing it would leave Berth's keeper container without a manifest.
        HttpResponse<String> last = send("DELETE", "/api/v1/manifests/keeper.yaml", null);
        assertThat(last.statusCode()).as(last.body()).isEqualTo(409);
        assertThat(manifests.resolve("keeper.yaml")).exists();
    }
}
