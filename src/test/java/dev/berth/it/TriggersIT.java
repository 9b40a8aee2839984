package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** File changes and engine events wake the loop on their own, without waiting for a resync. */
class TriggersIT extends EngineTestBase {
    /** Far below the loop's idle wait (60 s), so only a trigger can explain a reaction this fast. */
    static final Duration PROMPTLY = Duration.ofSeconds(20);

    @Test
    void aManifestChangeAndAnEngineEventEachWakeTheLoop() throws Exception {
        write("other.yaml", service("other", APP_V1, "  replicas: 0\n"));
        startBerthWithoutResync();
        await().atMost(PROMPTLY).until(() -> berth.loop().firstPassDone());

        write("web.yaml", service("web", APP_V1, "  init: true\n"));
        await().atMost(PROMPTLY).until(() -> running("web").size() == 1);

        String id = running("web").get(0).getId();
        String started = inspect(id).getState().getStartedAt();
        docker.killContainerCmd(id).exec();
        await().atMost(PROMPTLY).until(() -> "running".equals(containers("web").get(0).getState())
                && !inspect(id).getState().getStartedAt().equals(started));
        assertThat(containers("web")).hasSize(1);
    }
}
