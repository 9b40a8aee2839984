package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static dev.berth.it.TestImages.APP_V2;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The update orders that allow no surge, against the engine: stop-first, and host-published ports. */
class UpdateOrderIT extends EngineTestBase {

    /** Polls the container count while {@code until} is false; returns the most seen at once. */
    int mostContainersUntil(java.util.function.BooleanSupplier until) throws InterruptedException {
        AtomicInteger most = new AtomicInteger();
        long deadline = System.nanoTime() + EVENTUALLY.toNanos();
        while (!until.getAsBoolean()) {
            most.accumulateAndGet(containers("web").size(), Math::max);
            assertThat(System.nanoTime()).as("rollout finished in time").isLessThan(deadline);
            Thread.sleep(50);
        }
        return most.get();
    }

    boolean available(int revision) {
        return status("web").filter(s -> s.revision() == revision && s.phase().name().equals("Available")).isPresent();
    }

    @Test
    void stopFirstNeverRunsMoreThanTheReplicas() throws Exception {
        int port = freePort();
        write("web.yaml", proxiedWeb(APP_V1, port, ", order: stop-first", ""));
        startBerth();
        awaitAvailable("web", 2);
        write("web.yaml", proxiedWeb(APP_V2, port, ", order: stop-first", ""));
        assertThat(mostContainersUntil(() -> available(2))).as("containers at once").isLessThanOrEqualTo(2);
        assertThat(httpGet(port, "/").strip()).isEqualTo("v2");
    }

    @Test
    void aHostPortIsPublishedByTheEngineAndItsServiceReplacedStopFirst() throws Exception {
        int port = freePort();
        String spec = "  ports: [{port: " + port + ", targetPort: 8080, mode: host}]\n";
        write("web.yaml", service("web", APP_V1, spec));
        startBerth();
        awaitAvailable("web", 1);
        assertThat(httpGet(port, "/").strip()).isEqualTo("v1");
        var binding = inspect(running("web").get(0).getId()).getHostConfig().getPortBindings().getBindings();
        assertThat(binding.values().iterator().next()[0].getHostPortSpec()).isEqualTo(Integer.toString(port));
        write("web.yaml", service("web", APP_V2, spec));
        assertThat(mostContainersUntil(() -> available(2))).as("containers at once").isEqualTo(1);
        assertThat(httpGet(port, "/").strip()).isEqualTo("v2");
    }
}
