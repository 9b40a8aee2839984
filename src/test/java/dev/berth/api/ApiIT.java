package dev.berth.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The daemon as shipped (Quarkus app, CDI wiring, scheduler) against the real engine, through HTTP. */
@QuarkusTest
@QuarkusTestResource(EngineProjectResource.class)
class ApiIT {

    @BeforeEach
    void waitForFirstPass() {
        await().atMost(Duration.ofSeconds(60)).until(() ->
                given().get("/api/v1/services/web").then().extract().statusCode() == 200
                        && "Available".equals(given().get("/api/v1/services/web").jsonPath().getString("phase")));
    }

    @Test
    void listsServicesWithRevisionImageAndReplicas() {
        given().get("/api/v1/services").then().statusCode(200)
                .body("name", hasItem("web"))
                .body("find { it.name == 'web' }.revision", equalTo(1))
                .body("find { it.name == 'web' }.image", equalTo("berth-test/app:v1"))
                .body("find { it.name == 'web' }.replicas.desired", equalTo(2))
                .body("find { it.name == 'web' }.replicas.running", equalTo(2))
                .body("find { it.name == 'web' }.replicas.ready", equalTo(2))
                .body("find { it.name == 'web' }.containers[0].name", startsWith(EngineProjectResource.project + "-web-r1-"));
    }

    @Test
    void oneServiceAndUnknownService() {
        given().get("/api/v1/services/web").then().statusCode(200)
                .body("phase", equalTo("Available"))
                .body("lastError", equalTo(null));
        given().get("/api/v1/services/nope").then().statusCode(404)
                .body("message", containsString("no service named 'nope'"));
    }

    @Test
    void problemsNameFileLineAndField() {
        given().get("/api/v1/problems").then().statusCode(200)
                .body("problems[0].file", equalTo("broken.yaml"))
                .body("problems[0].line", equalTo(6))
                .body("problems[0].field", equalTo("spec.replicas"))
                .body("problems[0].message", containsString("minimum"))
                .body("refusal", equalTo(null));
    }

    @Test
    void healthForMonitors() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks[0].data.firstPassDone", equalTo(true));
    }

    @Test
    void noAnswerRevealsASecret() {
        given().get("/api/v1/services").then().body(not(containsString(EngineProjectResource.SECRET)));
        given().get("/api/v1/services/web").then().body(not(containsString(EngineProjectResource.SECRET)));
    }
}
