package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static dev.berth.it.TestImages.APP_V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Container;
import dev.berth.status.ServiceStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Zero-downtime rollouts through Berth's proxy against the real engine: health-gated,
 * start-first, draining, automatic rollback, WebSocket upgrades — with the Kubernetes invariants
 * checked at every poll while it happens.
 */
class RolloutIT extends EngineTestBase {
    static final String UNHEALTHY = "berth-test/app:unhealthy";

    static String web(String image, int port, String extra) {
        return proxiedWeb(image, port, "", extra);
    }

    /** Two replicas of v1 behind the proxy on a free port, available; answers the port. */
    int startWithV1() throws Exception {
        int port = freePort();
        write("web.yaml", web(APP_V1, port, ""));
        startBerth();
        awaitAvailable("web", 2);
        return port;
    }

    /**
     * Polls until {@code done}, checking at every poll: ≤ replicas + surge containers that are
     * not leaving, ≥ replicas − unavailable ready.
     */
    List<String> watchInvariants(int replicas, int surge, int unavailable, BooleanSupplier done) throws InterruptedException {
        List<String> violations = new CopyOnWriteArrayList<>();
        long deadline = System.nanoTime() + EVENTUALLY.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("rollout finished in time").isLessThan(deadline);
            List<Container> listed = containers("web");
            int staying = notLeaving(listed, replicas + surge, () -> leavingInStatus("web")).size();
            if (staying > replicas + surge) {
                violations.add(staying + " containers not leaving > " + (replicas + surge) + " (" + listed.size() + " in all)");
            }
            int ready = status("web").map(s -> s.replicas().ready()).orElse(0);
            if (ready < replicas - unavailable) {
                violations.add(ready + " ready < " + (replicas - unavailable));
            }
            Thread.sleep(50);
        }
        return violations;
    }

    @Test
    void v1ToV2UnderLoadWithZeroFailedRequests() throws Exception {
        int port = startWithV1();
        try (Load load = new Load(port, "/", 4)) {
            await().atMost(EVENTUALLY).until(() -> load.count("v1") > 50);
            write("web.yaml", web(APP_V2, port, ""));
            await().atMost(EVENTUALLY).until(() -> status("web").map(s -> s.revisions().size() == 2).orElse(false));
            List<String> violations = watchInvariants(2, 1, 0, () -> status("web")
                    .filter(s -> s.revision() == 2 && s.phase().name().equals("Available")).isPresent());
            long v2Before = load.count("v2");
            await().atMost(EVENTUALLY).until(() -> load.count("v2") > v2Before + 50);
            load.close();
            assertThat(violations).isEmpty();
            assertThat(load.failures).as("failed requests").isEmpty();
            assertThat(load.count("v1")).isPositive();
        }
        assertThat(containers("web")).hasSize(2).allSatisfy(c -> assertThat(c.getLabels()).containsEntry("dev.berth.revision", "2"));
        ServiceStatus s = status("web").orElseThrow();
        assertThat(s.rollout().state()).isEqualTo("COMPLETE");
        assertThat(s.rollout().fromRevision()).isEqualTo(1);
    }

    @Test
    void aV2ThatNeverGetsHealthyIsRolledBackWithZeroFailedRequests() throws Exception {
        int port = startWithV1();
        try (Load load = new Load(port, "/", 4)) {
            await().atMost(EVENTUALLY).until(() -> load.count("v1") > 50);
            write("web.yaml", web(UNHEALTHY, port, ""));
            List<String> violations = watchInvariants(2, 1, 0, () -> status("web")
                    .filter(s -> s.phase().name().equals("RolledBack")).isPresent());
            long v1Before = load.count("v1");
            await().atMost(EVENTUALLY).until(() -> load.count("v1") > v1Before + 50);
            load.close();
            assertThat(violations).isEmpty();
            assertThat(load.failures).as("failed requests").isEmpty();
            assertThat(load.count("unhealthy")).as("requests served by the unhealthy revision").isZero();
        }
        ServiceStatus s = status("web").orElseThrow();
        assertThat(s.revision()).isEqualTo(1);
        assertThat(s.message()).contains("rolled back to revision 1").contains("unhealthy");
        await().atMost(EVENTUALLY).until(() -> containers("web").size() == 2);
        assertThat(containers("web")).allSatisfy(c -> assertThat(c.getLabels()).containsEntry("dev.berth.revision", "1"));

        // The failed revision is not retried while the manifest still asks for it.
        awaitPasses(3);
        assertThat(containers("web")).hasSize(2).allSatisfy(c -> assertThat(c.getLabels()).containsEntry("dev.berth.revision", "1"));
        assertThat(status("web").orElseThrow().phase().name()).isEqualTo("RolledBack");

        // A new manifest change rolls forward again, and the manifest wins.
        write("web.yaml", web(APP_V2, port, ""));
        awaitStatus("web", x -> x.revision() == 3 && x.phase().name().equals("Available"));
        assertThat(httpGet(port, "/").strip()).isEqualTo("v2");

        // Asking for the once-failed image again is a new change too: it is tried, fails, and
        // the rollback restores v2 (not v1) — never silently ignored.
        write("web.yaml", web(UNHEALTHY, port, ""));
        awaitStatus("web", x -> x.phase().name().equals("RolledBack") && x.rollout().toRevision() != 3);
        awaitStatus("web", x -> x.revision() == 3 && x.phase().name().equals("RolledBack"));
        assertThat(httpGet(port, "/").strip()).isEqualTo("v2");
    }

    @Test
    void aLongRequestInFlightFinishesAcrossTheSwitch() throws Exception {
        int port = startWithV1();
        HttpClient c = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> slow = c.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/cgi-bin/sleep?4")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        write("web.yaml", web(APP_V2, port, ""));
        awaitStatus("web", s -> s.revision() == 2 && s.phase().name().equals("Available"));
        HttpResponse<String> r = slow.get(30, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body().strip()).isEqualTo("done");
    }

    @Test
    void aWebSocketPassesThroughTheProxyBeforeAndAfterARollout() throws Exception {
        int port = startWithV1();
        assertThat(webSocketGreeting(port)).isEqualTo("v1");
        write("web.yaml", web(APP_V2, port, ""));
        awaitStatus("web", s -> s.revision() == 2 && s.phase().name().equals("Available"));
        assertThat(webSocketGreeting(port)).isEqualTo("v2");
    }

    /** The first text message of the test app's /cgi-bin/ws, opened through Berth's proxy. */
    static String webSocketGreeting(int port) throws Exception {
        CompletableFuture<String> text = new CompletableFuture<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/cgi-bin/ws?2"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        text.complete(data.toString());
                        return null;
                    }

                    @Override
                    public void onError(WebSocket w, Throwable error) {
                        text.completeExceptionally(error);
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            return text.get(10, TimeUnit.SECONDS);
        } finally {
            ws.abort();
        }
    }

    @Test
    void aReplicaKilledMidRolloutStillEndsConsistent() throws Exception {
        int port = startWithV1();
        write("web.yaml", web(APP_V2, port, ""));
        await().atMost(EVENTUALLY).until(() -> containers("web").stream()
                .anyMatch(c -> "2".equals(c.getLabels().get("dev.berth.revision"))));
        containers("web").stream().filter(c -> "1".equals(c.getLabels().get("dev.berth.revision"))).findFirst()
                .ifPresent(c -> docker.killContainerCmd(c.getId()).exec());
        awaitStatus("web", s -> s.revision() == 2 && s.phase().name().equals("Available"));
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(containers("web")).hasSize(2)
                .allSatisfy(c -> assertThat(c.getLabels()).containsEntry("dev.berth.revision", "2")));
        assertThat(httpGet(port, "/").strip()).isEqualTo("v2");
    }

    @Test
    void aDaemonStoppedMidRolloutFinishesItAfterARestart() throws Exception {
        int port = startWithV1();
        write("web.yaml", web(APP_V2, port, ""));
        await().atMost(EVENTUALLY).until(() -> containers("web").stream()
                .anyMatch(c -> "2".equals(c.getLabels().get("dev.berth.revision"))));
        stopBerth();
        List<Container> midway = containers("web");
        assertThat(midway).hasSizeLessThanOrEqualTo(3);

        startBerth();
        awaitStatus("web", s -> s.revision() == 2 && s.phase().name().equals("Available"));
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(containers("web")).hasSize(2)
                .allSatisfy(c -> assertThat(c.getLabels()).containsEntry("dev.berth.revision", "2")));
        // Converged: another restart changes nothing.
        List<String> ids = containers("web").stream().map(Container::getId).sorted().toList();
        stopBerth();
        startBerth();
        awaitAvailable("web", 2);
        awaitPasses(2);
        assertThat(containers("web").stream().map(Container::getId).sorted().toList()).isEqualTo(ids);
    }
}
