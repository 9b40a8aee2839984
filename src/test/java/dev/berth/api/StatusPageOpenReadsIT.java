package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With {@code berth.api.open-reads=true} the page shows the services without a token, read-only. */
@QuarkusTest
@QuarkusTestResource(value = EngineProjectResource.class, restrictToAnnotatedClass = true)
@TestProfile(StatusPageOpenReadsIT.OpenReads.class)
class StatusPageOpenReadsIT {
    public static class OpenReads implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.api.open-reads", "true");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Test
    void showsServicesEventsAndProblemsWithoutATokenAndNoButtons() throws Exception {
        try (Chromium chromium = Chromium.start()) {
            chromium.navigate("http://127.0.0.1:" + base.getPort() + "/");
            String web = StatusPageIT.WEB;
            chromium.waitFor("web Available", StatusPageIT.text(web + " .phase .badge") + " === 'Available'", Duration.ofSeconds(60));
            assertThat(chromium.evaluate(StatusPageIT.text(web + " .revision")).asText()).isEqualTo("1");
            assertThat(chromium.evaluate(StatusPageIT.text(web + " .image")).asText()).isEqualTo("berth-test/app:v1");
            chromium.waitFor("events", "document.querySelectorAll('#events tbody tr').length > 1", Duration.ofSeconds(10));
            assertThat(chromium.evaluate(StatusPageIT.text("#problems")).asText()).contains("broken.yaml:6 spec.replicas");
            assertThat(chromium.evaluate("document.getElementById('notice').hidden").asBoolean()).isTrue();
            assertThat(chromium.evaluate("document.querySelectorAll('button.action').length").asInt()).isZero();
            assertThat(chromium.evaluate("document.body.classList.contains('read-only')").asBoolean()).isTrue();
            assertThat(chromium.evaluate(StatusPageIT.text("#mode")).asText()).isEqualTo("read-only");
            assertThat(chromium.pageErrors()).isEmpty();
        }
    }
}
