package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static dev.berth.it.TestImages.APP_V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.Container;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Berth as shipped (the packaged jar, its own process) killed with SIGKILL in the middle of a
 * rollout, then started again: it finishes the rollout from labels and its state directory,
 * with no duplicate and no orphan.
 */
class DaemonKillIT extends EngineTestBase {
    PackagedDaemon daemon;

    PackagedDaemon launch(int api) throws Exception {
        return packagedDaemon(api).start();
    }

    void awaitRevisionAvailable(int revision) {
        await().atMost(EVENTUALLY).pollInterval(java.time.Duration.ofMillis(200)).until(() -> {
            JsonNode s = daemon.service("web");
            return s != null && s.get("revision").asInt() == revision && s.get("phase").asText().equals("Available");
        });
    }

    @AfterEach
    void killDaemon() throws InterruptedException {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void killedMidRolloutItFinishesTheRolloutAfterARestart() throws Exception {
        int api = freePort();
        int port = freePort();
        // minReadySeconds slows each step, so the kill lands in the middle.
        write("web.yaml", proxiedWeb(APP_V1, port, ", minReadySeconds: 2", ""));
        daemon = launch(api);
        awaitRevisionAvailable(1);
        write("web.yaml", proxiedWeb(APP_V2, port, ", minReadySeconds: 2", ""));
        await().atMost(EVENTUALLY).until(() -> containers("web").stream()
                .anyMatch(c -> "2".equals(c.getLabels().get("dev.berth.revision"))));
        daemon.kill();
        List<Container> midway = containers("web");
        assertThat(midway).hasSizeLessThanOrEqualTo(3)
                .anySatisfy(c -> assertThat(c.getLabels()).containsEntry("dev.berth.revision", "1"));

        daemon = launch(api);
        awaitRevisionAvailable(2);
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(containers())
                .hasSize(2)
                .allSatisfy(c -> assertThat(c.getLabels()).containsEntry("dev.berth.service", "web")
                        .containsEntry("dev.berth.revision", "2"))
                .extracting(c -> c.getLabels().get("dev.berth.ordinal")).containsExactlyInAnyOrder("1", "2"));
        assertThat(httpGet(port, "/").strip()).isEqualTo("v2");
    }
}
