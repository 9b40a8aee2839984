package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The status page in a real headless Chromium shows user-controlled strings as text, never as
 * markup: manifest file names (a service's source, a rejected file's problem and the event that
 * quotes it), an unknown field's name (a manifest problem) and a label, each carrying a {@code <script>}
 * or an {@code <img onerror>} that would set {@code window.pwned} if parsed as HTML.
 */
@QuarkusTest
@QuarkusTestResource(value = HostileProjectResource.class, restrictToAnnotatedClass = true)
@TestProfile(StatusPageEscapingIT.OwnApplication.class)
class StatusPageEscapingIT {
    /** An application (and project) of its own. */
    public static class OwnApplication implements QuarkusTestProfile {}

    @TestHTTPResource("/")
    URL base;

    @Test
    void markupInServiceFieldsErrorsEventsAndProblemsComesOutAsText() throws Exception {
        try (Chromium chromium = Chromium.start()) {
            chromium.navigate("http://127.0.0.1:" + base.getPort() + "/");
            chromium.evaluate("document.getElementById('token').value = " + Chromium.quote(HostileProjectResource.TOKEN)
                    + "; document.getElementById('token-save').click()");
            String marked = "tr[data-service=\"marked\"]";
            String page = "document.body.textContent";
            // The marked service is listed with its file name, and the problem names the broken
            // file and its unknown field: each shown as the characters it holds.
            chromium.waitFor("the marked strings shown as text",
                    "!!document.querySelector(" + Chromium.quote(marked) + ") && "
                            + "document.querySelector(" + Chromium.quote(marked + " .name") + ").textContent.includes("
                            + Chromium.quote(HostileProjectResource.MARKED_FILE) + ") && "
                            + "!document.getElementById('problems-section').hidden && "
                            + "document.getElementById('problems').textContent.includes("
                            + Chromium.quote(HostileProjectResource.SCRIPT) + ") && "
                            + "document.getElementById('problems').textContent.includes("
                            + Chromium.quote(HostileProjectResource.BROKEN_FILE) + ") && "
                            + page + ".includes('web')",
                    Duration.ofSeconds(60));
            chromium.waitFor("an event quoting the broken file's name", "document.getElementById('events').textContent.includes('<img')",
                    Duration.ofSeconds(30));
            // Give any injected handler (an <img onerror> fires after a failed load) time to run.
            Thread.sleep(1500);
            assertThat(chromium.evaluate("typeof window.pwned").asText()).as("no injected script ran").isEqualTo("undefined");
            assertThat(chromium.evaluate("document.querySelectorAll('img, script:not([src]), iframe, object').length").asInt())
                    .as("no element made from API strings").isZero();
            assertThat(chromium.evaluate("document.querySelectorAll('script').length").asInt())
                    .as("only the page's own script").isEqualTo(1);
            assertThat(chromium.pageErrors()).isEmpty();
        }
    }
}
