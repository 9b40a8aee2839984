package dev.berth.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The status page in a real headless Chromium against the daemon and the real engine, reads
 * closed (the default): without a token it explains the 401; with the token it shows web, its
 * buttons restart it, and a screenshot shows the services. Tests run in order in one tab.
 */
@QuarkusTest
@QuarkusTestResource(value = EngineProjectResource.class, restrictToAnnotatedClass = true)
@TestProfile(StatusPageIT.OwnApplication.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusPageIT {
    /** An application (and project) of its own, so web is at revision 1 whichever test class ran before. */
    public static class OwnApplication implements QuarkusTestProfile {}

    static final String WEB = "tr[data-service=\"web\"]";
    static Chromium chromium;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void startChromium() throws Exception {
        chromium = Chromium.start();
    }

    @AfterAll
    static void stopChromium() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
    }

    String page() {
        return "http://127.0.0.1:" + base.getPort() + "/";
    }

    static String text(String selector) {
        return "(document.querySelector(" + Chromium.quote(selector) + ") || {}).textContent";
    }

    @Test
    @Order(1)
    void withoutATokenThePageSaysThatReadsNeedIt() {
        chromium.navigate(page());
        chromium.waitFor("the 401 explanation", "!document.getElementById('notice').hidden && "
                + text("#notice") + ".includes('Reads need the API token') && " + text("#notice") + ".includes('401')",
                Duration.ofSeconds(20));
        assertThat(chromium.evaluate("document.querySelectorAll('#services tbody tr').length").asInt()).isZero();
        assertThat(chromium.evaluate("document.querySelectorAll('button.action').length").asInt()).isZero();
        assertThat(chromium.pageErrors()).isEmpty();
    }

    @Test
    @Order(2)
    void pageHasASecurityPolicyAndSwaggerUiStillWorks() throws Exception {
        for (String path : new String[] {"/", "/index.html", "/status.js", "/status.css"}) {
            given().get(path).then().statusCode(200)
                    .header("Content-Security-Policy", containsString("default-src 'self'"))
                    .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                    .header("Content-Security-Policy", not(containsString("unsafe-inline")))
                    .header("X-Content-Type-Options", equalTo("nosniff"));
        }
        for (String path : new String[] {"/api/v1/services", "/api/v1/services/web/health", "/q/health/live"}) {
            given().get(path).then().header("X-Content-Type-Options", equalTo("nosniff"));
        }
        given().get("/q/swagger-ui/").then().statusCode(200).header("Content-Security-Policy", nullValue());
        chromium.navigate("http://127.0.0.1:" + base.getPort() + "/q/swagger-ui/");
        chromium.waitFor("Swagger UI rendered the Berth API", "document.querySelector('.swagger-ui .info .title') && "
                + text(".swagger-ui .info .title") + ".includes('Berth API')", Duration.ofSeconds(20));

        try (InputStream js = getClass().getResourceAsStream("/META-INF/resources/status.js")) {
            String script = new String(js.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(script).as("API strings reach the DOM through textContent only")
                    .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(");
        }
    }

    @Test
    @Order(3)
    void withTheTokenItShowsWebRestartsItAndTheScreenshotShowsTheServices() throws Exception {
        chromium.navigate(page());
        chromium.evaluate("document.getElementById('token').value = " + Chromium.quote(EngineProjectResource.TOKEN)
                + "; document.getElementById('token-save').click()");
        chromium.waitFor("web Available at revision 1", text(WEB + " .phase .badge") + " === 'Available' && "
                + text(WEB + " .revision") + " === '1'", Duration.ofSeconds(60));
        assertThat(chromium.evaluate("sessionStorage.getItem('berth.token')").asText()).isEqualTo(EngineProjectResource.TOKEN);
        assertThat(chromium.evaluate("document.getElementById('token').value").asText()).isEmpty();
        assertThat(chromium.evaluate("[...document.querySelectorAll('" + WEB.replace("\"", "\\\"")
                + " button.action')].map(b => b.textContent).join(',')").asText())
                .isEqualTo("Restart,Rollback,Pause,Resume,Retry");
        assertThat(chromium.evaluate(text(WEB + " .replicas")).asText()).isEqualTo("2 / 2 / 2");
        assertThat(chromium.evaluate(text(WEB + " .health")).asText()).contains("r1-1 READY", "r1-2 READY");

        // Watch for the rollout progress bar while the restart rolls.
        chromium.evaluate("window.sawProgress = false; new MutationObserver(() => { if (document.querySelector("
                + Chromium.quote(WEB + " .rollout progress") + ")) window.sawProgress = true; })"
                + ".observe(document.body, {subtree: true, childList: true}); true");
        chromium.click(WEB + " button[data-action=restart]");
        chromium.waitFor("the restart's answer", text(WEB + " .action-result") + ".includes('Restart: accepted (202)')",
                Duration.ofSeconds(30));
        if (chromium.evaluate("!!document.querySelector(" + Chromium.quote(WEB + " .rollout progress") + ")").asBoolean()) {
            Files.write(Path.of("target", "status-page-rollout.png"), chromium.screenshot()); // for people to look at
        }
        chromium.waitFor("web Available at revision 2", text(WEB + " .phase .badge") + " === 'Available' && "
                + text(WEB + " .revision") + " === '2' && " + text(WEB + " .replicas") + " === '2 / 2 / 2'",
                Duration.ofSeconds(90));
        assertThat(chromium.evaluate("window.sawProgress").asBoolean()).as("rollout progress was shown").isTrue();
        chromium.waitFor("the restart in the events", text("#events tbody") + ".includes('RestartRequested')"
                + " && " + text("#events tbody") + ".includes('RolloutComplete')", Duration.ofSeconds(10));
        given().header("Authorization", "Bearer " + EngineProjectResource.TOKEN).get("/api/v1/services/web").then()
                .body("revision", equalTo(2));

        // Screenshot once the replicas of revision 2 are all ready.
        chromium.waitFor("revision 2 replicas ready", text(WEB + " .health") + ".includes('r2-1 READY') && "
                + text(WEB + " .health") + ".includes('r2-2 READY')", Duration.ofSeconds(30));
        chromium.evaluate("window.scrollTo(0, 0); true");
        byte[] png = chromium.screenshot();
        Path file = Path.of("target", "status-page.png");
        Files.write(file, png);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isEqualTo(Chromium.WIDTH);
        assertThat(image.getHeight()).isEqualTo(Chromium.HEIGHT);
        assertThat(distinctColours(image)).as("colours in " + file + " (a blank page has a handful)").isGreaterThan(100);

        JsonNode view = chromium.evaluate("(() => { const t = document.getElementById('services').getBoundingClientRect();"
                + " const b = document.querySelector(" + Chromium.quote(WEB + " .phase .badge") + ").getBoundingClientRect();"
                + " return {top: t.top, left: t.left, bottom: t.bottom, right: t.right, width: innerWidth, height: innerHeight,"
                + " badgeX: b.left + 3, badgeY: b.top + b.height / 2}; })()");
        assertThat(view.get("width").asInt()).isEqualTo(image.getWidth());
        assertThat(view.get("height").asInt()).isEqualTo(image.getHeight());
        assertThat(view.get("top").asDouble()).as("services table top").isBetween(0.0, (double) image.getHeight());
        assertThat(view.get("bottom").asDouble()).as("services table bottom").isBetween(0.0, (double) image.getHeight());
        assertThat(view.get("left").asDouble()).isGreaterThanOrEqualTo(0.0);
        assertThat(view.get("right").asDouble()).isLessThanOrEqualTo(image.getWidth());
        int rgb = image.getRGB(view.get("badgeX").asInt(), view.get("badgeY").asInt());
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        assertThat(g).as("the screenshot shows web's Available badge in green (rgb %d,%d,%d)", r, g, b)
                .isGreaterThan(r + 40).isGreaterThan(b + 40);
        assertThat(chromium.pageErrors()).isEmpty();
    }

    @Test
    @Order(4)
    void forgettingTheTokenHidesTheButtonsAndExplainsThe401Again() {
        chromium.click("#token-forget");
        chromium.waitFor("the 401 explanation", text("#notice") + ".includes('Reads need the API token')", Duration.ofSeconds(10));
        assertThat(chromium.evaluate("document.querySelectorAll('button.action').length").asInt()).isZero();
        assertThat(chromium.evaluate("sessionStorage.getItem('berth.token')").isNull()).isTrue();
    }

    static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
