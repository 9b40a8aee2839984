package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.berth.proxy.Upstream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How the proxy and the probes reach replicas ({@code berth.proxy.upstream}), shown by taking
 * the engine's userland proxy away: the {@code docker-proxy} process that serves a replica's
 * published loopback port is killed (as an OOM kill or an operator could; the engine does not
 * start it again). On this rootful engine {@code auto} reaches the replica at its bridge
 * address, so it keeps serving and stays ready; {@code loopback} goes through the dead port, so
 * the replica fails its probe and is replaced, and serves again through the new one's port.
 */
class UpstreamIT extends EngineTestBase {

    @Test
    void autoReachesTheReplicaAtItsAddressSoTheUserlandProxyDoesNotMatter() throws Exception {
        int port = start(Upstream.AUTO);
        String replica = running("web").get(0).getId();
        killUserlandProxy(replica);
        try (Load load = new Load(port, "/", 2)) {
            await().atMost(EVENTUALLY).until(() -> load.ok.get() > 100);
            awaitPasses(3);
            load.close();
            assertThat(load.failures).as("failed requests").isEmpty();
        }
        assertThat(running("web")).as("the same replica, never replaced").singleElement()
                .satisfies(c -> assertThat(c.getId()).isEqualTo(replica));
        assertThat(status("web").orElseThrow().replicas().ready()).isEqualTo(1);
    }

    @Test
    void loopbackGoesThroughThePublishedPortAndRecoversByReplacingTheReplica() throws Exception {
        int port = start(Upstream.LOOPBACK);
        String replica = running("web").get(0).getId();
        killUserlandProxy(replica);
        await().atMost(EVENTUALLY).until(() -> !answers(port));
        // The probe fails on the same dead port: the replica is replaced, and its successor has a
        // userland proxy of its own.
        await().atMost(EVENTUALLY).until(() -> running("web").stream().noneMatch(c -> c.getId().equals(replica)));
        awaitAvailable("web", 1);
        await().atMost(EVENTUALLY).until(() -> answers(port));
    }

    private int start(Upstream upstream) throws IOException {
        int port = freePort();
        write("web.yaml", service("web", APP_V1, "  replicas: 1\n  init: true\n"
                + "  ports: [{port: " + port + ", targetPort: 8080}]\n"
                + "  healthcheck: {http: {path: /cgi-bin/healthz, port: 8080}, interval: 300ms, timeout: 1s, retries: 2}\n"
                + "  update: {drainSeconds: 1}\n"));
        startBerth(settings().withUpstream(upstream));
        awaitAvailable("web", 1);
        await().atMost(EVENTUALLY).until(() -> answers(port));
        return port;
    }

    /** Kills the docker-proxy of the replica's loopback port 8080, and waits until that port refuses. */
    private void killUserlandProxy(String containerId) throws Exception {
        int published = Integer.parseInt(inspect(containerId).getNetworkSettings().getPorts().getBindings().entrySet()
                .stream().filter(e -> e.getKey().getPort() == 8080).findFirst().orElseThrow().getValue()[0]
                .getHostPortSpec());
        Process p = new ProcessBuilder("pkill", "-f", "docker-proxy .*-host-port " + published + " ")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assumeThat(p.exitValue()).as("the engine runs a userland proxy (docker-proxy) for published ports").isZero();
        await().atMost(EVENTUALLY).pollInterval(Duration.ofMillis(100)).until(() -> !connects(published));
    }

    private static boolean connects(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean answers(int port) {
        try {
            return httpGet(port, "/").strip().equals("v1");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
