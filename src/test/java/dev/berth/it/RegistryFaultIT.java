package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static dev.berth.it.TestImages.APP_V2;
import static dev.berth.it.TestImages.AUTH_REGISTRY;
import static dev.berth.it.TestImages.REGISTRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.app.Settings;
import dev.berth.status.ServiceStatus;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Faults: the registry is down, hangs, refuses the credentials (401) or does not know the image
 * (404) when a rollout needs a new image. Promise: the rollout fails cleanly before any new
 * container exists, the old revision keeps serving under load with 0 failed requests, and the
 * reason (the image and the registry's answer) is in the status and in the events. A later good
 * manifest still rolls out.
 */
class RegistryFaultIT extends EngineTestBase {
    private static final Duration PULL_TIMEOUT = Duration.ofSeconds(6);

    @Test
    void aRegistryFaultAtRolloutTimeLeavesTheOldRevisionServing() throws Exception {
        Path noCredentials = Files.createDirectories(tmp.resolve("no-credentials"));
        Settings s = settings().withDockerConfig(noCredentials.toString());
        startBerth(new Settings(s.manifestsDir(), s.stateDir(), s.secretsDir(), s.project(), s.publishAddress(),
                s.resyncInterval(), s.debounce(), s.allowEmpty(), s.dockerConfig(), PULL_TIMEOUT, s.backoff()));
        int port = freePort();
        write("web.yaml", proxiedWeb(APP_V1, port, "", ""));
        awaitAvailable("web", 2);

        int down;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            down = probe.getLocalPort(); // closed again below: connection refused
        }
        try (Load load = new Load(port, "/", 4);
                IsolationIT.SilentRegistry silent = new IsolationIT.SilentRegistry()) {
            await().atMost(EVENTUALLY).until(() -> load.ok.get() > 20);
            List<String[]> faults = List.of(
                    new String[] {"down", "127.0.0.1:" + down + "/berth-test/app:v9", "connection refused"},
                    new String[] {"hangs", "127.0.0.1:" + silent.server.getLocalPort() + "/berth-test/app:v9",
                        "did not finish within"},
                    new String[] {"401", AUTH_REGISTRY + "/berth-test/not-pulled-here:v1", "no basic auth credentials"},
                    new String[] {"404", REGISTRY + "/berth-test/no-such-image:v9", "not found"});
            for (String[] f : faults) {
                String image = f[1];
                write("web.yaml", proxiedWeb(image, port, "", ""));
                ServiceStatus failed = awaitStatus("web", x -> x.phase().name().equals("Failed")
                        && x.message() != null && x.message().contains(image));
                assertThat(failed.message()).as(f[0]).contains("pull").contains(f[2]);
                assertThat(berth.events().list("web")).as(f[0] + ": the reason is in the events")
                        .anySatisfy(e -> assertThat(e.toString()).contains(image));
                assertThat(running("web")).as(f[0] + ": only the old replicas run").hasSize(2)
                        .allSatisfy(c -> assertThat(c.getLabels()).containsEntry("dev.berth.revision", "1"));
                assertThat(load.failures).as(f[0]).isEmpty();
            }
            write("web.yaml", proxiedWeb(APP_V2, port, "", ""));
            awaitStatus("web", x -> x.revision() >= 2 && x.image().equals(APP_V2) && x.phase().name().equals("Available"));
            await().atMost(EVENTUALLY).until(() -> load.count("v2") > 10);
            assertThat(load.failures).as("0 failed requests through every fault and the good rollout").isEmpty();
        }
    }
}
