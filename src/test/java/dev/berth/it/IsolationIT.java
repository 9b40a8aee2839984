package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Container;
import dev.berth.rollout.Command;
import dev.berth.status.ServiceStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One slow thing stops nothing else: while one service's image pull hangs on a registry that
 * accepts connections and never answers, another service deploys, is repaired after a kill and
 * takes a REST restart, each as if the first did not exist.
 */
class IsolationIT extends EngineTestBase {

    /** A "registry" on loopback that accepts every connection and never says a word. */
    static final class SilentRegistry implements AutoCloseable {
        final ServerSocket server;
        final List<Socket> held = new CopyOnWriteArrayList<>();

        SilentRegistry() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        held.add(server.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-registry");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aHangingPullHoldsBackOnlyItsOwnService() throws Exception {
        try (SilentRegistry registry = new SilentRegistry()) {
            write("stuck.yaml", service("stuck", "127.0.0.1:" + registry.server.getLocalPort() + "/berth-test/stuck:v1",
                    "  replicas: 1\n"));
            startBerth();
            awaitStatus("stuck", s -> s.message() != null && s.message().contains("pulling image"));

            write("web.yaml", service("web", APP_V1, "  replicas: 1\n  init: true\n"));
            awaitAvailable("web", 1);

            // Drift repair of web while the pull still hangs.
            Container c = running("web").get(0);
            String startedBefore = inspect(c.getId()).getState().getStartedAt();
            docker.killContainerCmd(c.getId()).exec();
            await().atMost(EVENTUALLY).until(() -> running("web").size() == 1
                    && !inspect(c.getId()).getState().getStartedAt().equals(startedBefore));
            awaitAvailable("web", 1);

            // A REST action is accepted at once and carried out.
            berth.submit(new Command.Restart("web", "test")).get(10, TimeUnit.SECONDS);
            awaitStatus("web", s -> s.revision() == 2 && s.phase().name().equals("Available"));

            ServiceStatus stuck = status("stuck").orElseThrow();
            assertThat(stuck.phase().name()).isNotEqualTo("Available");
            assertThat(containers("stuck")).isEmpty();
            assertThat(registry.held).as("the engine really tried the silent registry").isNotEmpty();
        }
    }
}
