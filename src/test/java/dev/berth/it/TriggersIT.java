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

    /**
     * Passes between resyncs use the view the event stream vouches for (ViewCache): a container
     * removed by hand must still be seen at once (its destroy event drops the view), while what
     * no container event tells (a network removed by hand) waits for the resync, which asks the
     * engine afresh.
     */
    @Test
    void aContainerRemovedByHandIsReplacedWithoutAResyncAndANetworkRemovedByHandAtTheResync() throws Exception {
        write("net.yaml", "apiVersion: berth.dev/v1\nkind: Network\nmetadata: {name: spare}\n");
        write("web.yaml", service("web", APP_V1, "  init: true\n"));
        startBerthWithoutResync();
        await().atMost(PROMPTLY).until(() -> running("web").size() == 1 && network("spare") != null);

        String id = running("web").get(0).getId();
        docker.removeContainerCmd(id).withForce(true).exec();
        await().atMost(PROMPTLY).until(() -> running("web").size() == 1 && !running("web").get(0).getId().equals(id));

        docker.removeNetworkCmd(network("spare")).exec();
        berth.resync();
        await().atMost(PROMPTLY).until(() -> network("spare") != null);
    }

    private String network(String name) {
        return docker.listNetworksCmd().exec().stream()
                .filter(n -> n.getName().equals(project + "_" + name)).map(n -> n.getId()).findFirst().orElse(null);
    }
}
