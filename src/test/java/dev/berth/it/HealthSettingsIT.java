package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static dev.berth.it.TestImages.APP_V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.status.ServiceStatus;
import org.junit.jupiter.api.Test;

/**
 * Health settings apply to the revision that runs: a rollout that failed only because of its
 * probe is tried again, without a /retry, once the manifest fixes the probe — same image, same
 * everything else, so the same revision.
 */
class HealthSettingsIT extends EngineTestBase {

    static String web(String image, int port, String probePath) {
        return proxiedWeb(image, port, ", failureAction: rollback", "")
                .replace("/cgi-bin/healthz", probePath)
                .replace("progressDeadlineSeconds: 60", "progressDeadlineSeconds: 20");
    }

    @Test
    void aRolloutRolledBackForAWrongProbePathDeploysOnceThePathIsFixed() throws Exception {
        int port = freePort();
        write("web.yaml", web(APP_V1, port, "/cgi-bin/healthz"));
        startBerth();
        awaitAvailable("web", 2);

        // v2 with a probe path the app does not serve (404): it never gets ready and is rolled back.
        write("web.yaml", web(APP_V2, port, "/cgi-bin/no-such-path"));
        ServiceStatus rolledBack = awaitStatus("web", s -> s.phase().name().equals("RolledBack"));
        assertThat(rolledBack.revision()).isEqualTo(1);
        assertThat(rolledBack.rollout().toRevision()).isEqualTo(2);
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(containers("web")).hasSize(2)
                .allSatisfy(c -> assertThat(c.getLabels()).containsEntry("dev.berth.revision", "1")));
        // It holds while the manifest stays as it is.
        awaitPasses(3);
        assertThat(status("web").orElseThrow().phase().name()).isEqualTo("RolledBack");

        // Only the probe path changes: v2 is the same revision, tried again on its own, and deploys.
        write("web.yaml", web(APP_V2, port, "/cgi-bin/healthz"));
        ServiceStatus done = awaitStatus("web", s -> s.revision() == 2 && s.phase().name().equals("Available")
                && s.replicas().ready() == 2);
        assertThat(done.rollout().state()).isEqualTo("COMPLETE");
        assertThat(done.rollout().fromRevision()).isEqualTo(1);
        assertThat(berth.revisions("web")).extracting(r -> r.revision()).containsExactlyInAnyOrder(1, 2);
        // The kept revision carries the healthcheck it last ran with (a later rollback to it uses that).
        assertThat(berth.revisions("web").stream().filter(r -> r.revision() == 2).findFirst().orElseThrow()
                .resolved().spec().healthcheck().path()).isEqualTo("/cgi-bin/healthz");
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(containers("web")).hasSize(2)
                .allSatisfy(c -> assertThat(c.getLabels()).containsEntry("dev.berth.revision", "2")));
        assertThat(httpGet(port, "/").strip()).isEqualTo("v2");
        assertThat(berth.events().list("web")).anySatisfy(e -> assertThat(e.message()).contains("healthcheck changed"));
    }
}
