package dev.berth.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The daemon as shipped (Quarkus app, CDI wiring, scheduler) against the real engine, through
 * HTTP: every endpoint and answer code. Tests run in order; the later ones change the service.
 */
@QuarkusTest
@QuarkusTestResource(value = EngineProjectResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiIT {
    @TestHTTPResource("/")
    URL base;

    static RequestSpecification auth() {
        return given().header("Authorization", "Bearer " + EngineProjectResource.TOKEN);
    }

    @BeforeEach
    void waitForFirstPass() {
        await().atMost(Duration.ofSeconds(60)).until(() -> List.of("Available", "RolledBack")
                .contains(String.valueOf(auth().get("/api/v1/services/web").jsonPath().getString("phase"))));
    }

    @Test
    @Order(1)
    void listsServicesWithRevisionImageAndReplicas() {
        auth().get("/api/v1/services").then().statusCode(200)
                .body("name", hasItem("web"))
                .body("find { it.name == 'web' }.revision", equalTo(1))
                .body("find { it.name == 'web' }.image", equalTo("berth-test/app:v1"))
                .body("find { it.name == 'web' }.replicas.desired", equalTo(2))
                .body("find { it.name == 'web' }.replicas.running", equalTo(2))
                .body("find { it.name == 'web' }.replicas.ready", equalTo(2))
                .body("find { it.name == 'web' }.containers[0].name", startsWith(EngineProjectResource.project + "-web-r1-"));
    }

    @Test
    @Order(2)
    void oneServiceAndUnknownService() {
        auth().get("/api/v1/services/web").then().statusCode(200).body("phase", equalTo("Available"))
                .body("lastError", equalTo(null));
        auth().get("/api/v1/services/nope").then().statusCode(404).body("message", containsString("no service named 'nope'"));
    }

    @Test
    @Order(3)
    void problemsNameFileLineAndField() {
        auth().get("/api/v1/problems").then().statusCode(200)
                .body("problems[0].file", equalTo("broken.yaml"))
                .body("problems[0].line", equalTo(6))
                .body("problems[0].field", equalTo("spec.replicas"))
                .body("problems[0].message", containsString("minimum"))
                .body("refusal", equalTo(null)).body("engineError", equalTo(null));
    }

    @Test
    @Order(4)
    void healthForMonitorsNeedsNoToken() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'engine' }.data.firstPassDone", equalTo(true))
                .body("checks.find { it.name == 'state' }.status", equalTo("UP"));
        given().get("/api/v1/services/web/health").then().statusCode(200).body("status", equalTo("UP"))
                .body("ready", equalTo(2)).body("minAvailable", equalTo(2));
        given().get("/api/v1/services/nope/health").then().statusCode(404);
        given().get("/q/health/group/services").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    @Order(5)
    void withoutTheTokenEverythingIs401AndNothingChanges() throws Exception {
        given().get("/api/v1/services").then().statusCode(401).body("message", containsString("Bearer"));
        given().header("Authorization", "Bearer wrong").get("/api/v1/services").then().statusCode(401)
                .body("message", containsString("not valid"));
        given().post("/api/v1/services/web/restart").then().statusCode(401);
        given().header("Authorization", "Bearer wrong").post("/api/v1/services/web/rollback").then().statusCode(401);
        // Only the health answer itself is open, however a path is spelled.
        given().urlEncodingEnabled(false).post("/api/v1/services/web/restart;x=/health").then()
                .statusCode(org.hamcrest.Matchers.oneOf(401, 404));
        // Routed to the health answer (matrix parameters end a segment), never to the service's status.
        given().urlEncodingEnabled(false).get("/api/v1/services/web;x=/health").then()
                .body(not(containsString("specHash"))).body(not(containsString("containers")));
        HttpResponse<String> doubled = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(base + "api//v1/services/web/restart")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(doubled.statusCode()).as(doubled.body()).isIn(401, 404);
        auth().get("/api/v1/services/web").then().body("revision", equalTo(1));
        auth().get("/api/v1/events?service=web").then().body("reason", not(hasItem("RestartRequested")));
    }

    @Test
    @Order(6)
    void actionsThatMakeNoSenseAre409AndUnknownOnes404() {
        auth().post("/api/v1/services/web/rollback").then().statusCode(409)
                .body("message", containsString("no earlier good revision"));
        auth().contentType("application/json").body("{\"revision\": 99}").post("/api/v1/services/web/rollback")
                .then().statusCode(404).body("message", containsString("revision 99 of web is not in the kept history"));
        auth().post("/api/v1/services/web/pause").then().statusCode(409).body("message", containsString("no rollout in progress"));
        auth().post("/api/v1/services/web/resume").then().statusCode(409).body("message", containsString("not paused"));
        auth().post("/api/v1/services/web/retry").then().statusCode(409).body("message", containsString("has not failed"));
        auth().post("/api/v1/services/nope/restart").then().statusCode(404);
        auth().post("/api/v1/services/nope/rollback").then().statusCode(404);
    }

    @Test
    @Order(7)
    void restartThenRollbackOverRestWithEventsStreamedInOrder() throws Exception {
        List<String> reasons = new CopyOnWriteArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest streamRequest = HttpRequest.newBuilder(URI.create(base + "api/v1/events/stream?service=web"))
                .header("Authorization", "Bearer " + EngineProjectResource.TOKEN).build();
        var stream = client.sendAsync(streamRequest, HttpResponse.BodyHandlers.ofLines());
        Stream<String> lines = stream.get().body();
        Thread reader = new Thread(() -> {
            try {
                lines.filter(l -> l.startsWith("data:")).forEach(l -> {
                    int i = l.indexOf("\"reason\":\"");
                    reasons.add(l.substring(i + 10, l.indexOf('"', i + 10)));
                });
            } catch (java.io.UncheckedIOException closedAtShutdown) {
                // the application stops at the end of the class
            }
        });
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> reasons.contains("RolloutComplete"));
        int before = reasons.size();

        auth().post("/api/v1/services/web/restart").then().statusCode(202).body("name", equalTo("web"));
        await().atMost(Duration.ofSeconds(60)).until(() -> auth().get("/api/v1/services/web").jsonPath().getInt("revision") == 2
                && "Available".equals(auth().get("/api/v1/services/web").jsonPath().getString("phase")));
        await().atMost(Duration.ofSeconds(10)).until(() -> reasons.subList(before, reasons.size()).contains("RolloutComplete"));
        List<String> restart = List.copyOf(reasons.subList(before, reasons.size()));
        assertThat(restart).containsSubsequence("RestartRequested", "RolloutStarted", "CreateContainer", "RemoveContainer",
                "RolloutComplete");

        auth().get("/api/v1/services/web/revisions").then().statusCode(200)
                .body("revision", equalTo(List.of(1, 2)))
                .body("find { it.revision == 2 }.current", equalTo(true))
                .body("find { it.revision == 1 }.outcome", equalTo("Superseded"));

        auth().post("/api/v1/services/web/rollback").then().statusCode(202).body("rollout.state", equalTo("ROLLING_BACK"))
                .body("rollout.reason", containsString("rollback to revision 1 requested by api client"));
        await().atMost(Duration.ofSeconds(60)).until(() -> "RolledBack".equals(
                auth().get("/api/v1/services/web").jsonPath().getString("phase")));
        auth().get("/api/v1/services/web").then().body("revision", equalTo(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> reasons.contains("RolledBack"));
        assertThat(reasons.subList(before, reasons.size())).containsSubsequence("RolloutComplete", "RollbackRequested",
                "RolledBack");
        auth().get("/api/v1/events?service=web").then().statusCode(200).body("reason", hasItem("RollbackRequested"));
    }

    @Test
    @Order(8)
    void openApiAndSwaggerUi() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/services/{name}/rollback"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    @Order(9)
    void noAnswerRevealsASecret() {
        auth().get("/api/v1/services").then().body(not(containsString(EngineProjectResource.SECRET)));
        auth().get("/api/v1/services/web").then().body(not(containsString(EngineProjectResource.SECRET)));
        auth().get("/api/v1/events").then().body(not(containsString(EngineProjectResource.SECRET)));
        auth().get("/api/v1/services/web/revisions").then().body(not(containsString(EngineProjectResource.SECRET)));
    }

    @Test
    @Order(10)
    void aRealPrometheusScrapesTheMetrics() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 20; i++) {
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + EngineProjectResource.proxyPort + "/")).build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        given().get("/q/metrics").then().statusCode(200).body(containsString("berth_service_replicas"));
        try (Prometheus prometheus = Prometheus.start(base.getPort())) {
            for (String series : List.of("berth_service_replicas{service=\"web\",kind=\"ready\"}",
                    "berth_service_revision{service=\"web\"}", "berth_rollouts_total{service=\"web\",result=\"succeeded\"}",
                    "berth_rollout_duration_seconds_count{service=\"web\"}", "berth_reconcile_pass_seconds_count",
                    "berth_proxy_requests_total{service=\"web\"}", "berth_proxy_request_seconds_count{service=\"web\"}",
                    // Present at 0 before anything went wrong, so that alerts on their increase fire the first time.
                    "berth_rollouts_total{service=\"web\",result=\"failed\"}",
                    "berth_rollouts_total{service=\"web\",result=\"rolled_back\"}",
                    "berth_proxy_errors_total{service=\"web\"}", "berth_engine_errors_total",
                    "berth_proxy_origin_failures_total{service=\"web\",reason=\"timeout\"}",
                    "berth_reconcile_errors_total", "berth_service_min_available{service=\"web\"}")) {
                await().atMost(Duration.ofSeconds(60)).until(() -> prometheus.query(series).contains("\"value\""));
            }
            assertThat(prometheus.query("berth_service_replicas{service=\"web\",kind=\"desired\"}")).contains("\"2\"]");
        }
    }

    @Test
    @Order(11)
    void eventsPageByLimitAndAfterAndTheStreamResumesFromLastEventId() throws Exception {
        List<Long> seqs = auth().get("/api/v1/events?service=web").jsonPath().getList("seq", Long.class);
        assertThat(seqs).hasSizeGreaterThan(3).isSorted();
        List<Long> newest = seqs.subList(seqs.size() - 3, seqs.size());
        assertThat(auth().get("/api/v1/events?service=web&limit=3").jsonPath().getList("seq", Long.class)).isEqualTo(newest);
        assertThat(auth().get("/api/v1/events?service=web&after=" + newest.get(0)).jsonPath().getList("seq", Long.class))
                .isEqualTo(newest.subList(1, 3));
        auth().get("/api/v1/events?limit=-1").then().statusCode(400).body("message", containsString("negative"));

        HttpRequest resume = HttpRequest.newBuilder(URI.create(base + "api/v1/events/stream?service=web"))
                .header("Authorization", "Bearer " + EngineProjectResource.TOKEN)
                .header("Last-Event-ID", Long.toString(newest.get(1))).build();
        HttpResponse<Stream<String>> answer = HttpClient.newHttpClient().send(resume, HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = answer.body()) {
            List<String> first = lines.filter(l -> l.startsWith("id:") || l.startsWith("data:")).limit(2).toList();
            assertThat(first.get(0)).isEqualTo("id:" + newest.get(2));
            assertThat(first.get(1)).startsWith("data:{").contains("\"seq\":" + newest.get(2));
        }
    }

    @Test
    @Order(12)
    void aServiceWithNothingReadyIs503EvenWhenItsUpdateMayTakeEverythingDown() throws Exception {
        // Stop-first with one replica lets a rollout have 0 available; a monitor must still see DOWN.
        java.nio.file.Path file = EngineProjectResource.manifests.resolve("down.yaml");
        java.nio.file.Path tmp = file.resolveSibling(".down.yaml.tmp");
        java.nio.file.Files.writeString(tmp, """
                apiVersion: berth.dev/v1
                kind: Service
                metadata: {name: down}
                spec:
                  image: berth-test/app:unhealthy
                  update: {order: stop-first}
                  stopGracePeriod: 1s
                  healthcheck: {http: {path: /cgi-bin/healthz, port: 8080}, interval: 300ms}
                """);
        java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> auth().get("/api/v1/services/down").statusCode() == 200
                    && auth().get("/api/v1/services/down").jsonPath().getInt("replicas.running") == 1);
            given().get("/api/v1/services/down/health").then().statusCode(503).body("status", equalTo("DOWN"))
                    .body("ready", equalTo(0)).body("desired", equalTo(1)).body("minAvailable", equalTo(1));
            given().get("/q/health/group/services").then().statusCode(503).body("status", equalTo("DOWN"))
                    .body("checks[0].data.down", startsWith("DOWN"));
        } finally {
            java.nio.file.Files.delete(file);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> auth().get("/api/v1/services/down").statusCode() == 404);
        given().get("/q/health/group/services").then().statusCode(200).body("status", equalTo("UP"));
    }
}
