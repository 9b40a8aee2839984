package dev.berth.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.model.Container;
import dev.berth.api.EngineReadiness;
import dev.berth.app.Berth;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults: the Docker engine restarts under Berth, with and without live-restore, in steady state
 * and mid-rollout. Each test runs a {@link PrivateEngine} (never the shared one) and a Berth
 * without the periodic resync, so only its own reconnection, retries and the engine's events can
 * bring it back. Promises: readiness DOWN with the engine's error while the engine is gone, UP
 * again by itself; replicas that the restart killed are replaced; replicas that live-restore kept
 * are adopted, not replaced; a container death after the restart is seen (the event stream was
 * resubscribed); a rollout interrupted by the restart ends at the manifest's revision.
 */
class EngineRestartIT extends EngineTestBase {
    private PrivateEngine engine;

    private void onPrivateEngine(boolean liveRestore) throws Exception {
        engine = PrivateEngine.launch(liveRestore);
        engine.load(TestImages.APP_V1, TestImages.APP_V2);
        docker.close();
        docker = engine.client();
        berth = Berth.onEngine(settings(), engine.host).start();
    }

    @Override
    @AfterEach
    void tearDownEngine() throws Exception {
        try {
            if (engine != null && !engine.answers()) {
                engine.start(false);
            }
            super.tearDownEngine();
        } finally {
            if (engine != null) {
                engine.close();
            }
        }
    }

    @Test
    void withoutLiveRestoreTheKilledReplicasAreReplacedAndReadinessRecovers() throws Exception {
        onPrivateEngine(false);
        int port = freePort();
        write("web.yaml", proxiedWeb(TestImages.APP_V1, port, "", ""));
        awaitAvailable("web", 2);
        awaitReady(true);
        int streams = eventStreams();

        engine.stop();
        HealthCheckResponse down = awaitReady(false);
        String error = String.valueOf(down.getData().orElseThrow().get("error"));
        assertTrue(error.contains("ping"), "readiness names what failed: " + down.getData());

        engine.start(false);
        awaitReady(true);
        awaitAvailable("web", 2);
        assertEquals("v1", httpGet(port, "/").strip());
        assertEquals(2, containers().stream().filter(c -> "running".equals(c.getState())).count(),
                "no duplicates or leftovers: " + containers().stream().map(Container::getState).toList());
        assertEventsFollowed();
        // One subscription to the engine's events again, not one per failed reconnection attempt.
        await().atMost(EVENTUALLY).untilAsserted(() -> assertTrue(eventStreams() <= streams,
                "event streams after the restart: " + eventStreams() + ", before: " + streams));
    }

    /** docker-java's stream threads in this JVM: Berth's event subscription (the test itself opens none). */
    private static int eventStreams() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("docker-java-stream")).count();
    }

    @Test
    void withLiveRestoreTheRunningReplicasAreKeptAndReadinessRecovers() throws Exception {
        onPrivateEngine(true);
        int port = freePort();
        write("web.yaml", proxiedWeb(TestImages.APP_V1, port, "", ""));
        awaitAvailable("web", 2);
        Set<String> before = runningIds();

        engine.stop();
        awaitReady(false);
        engine.start(true);
        awaitReady(true);
        awaitAvailable("web", 2);
        assertEquals(before, runningIds(), "live-restore kept the replicas; Berth adopted them");
        assertEquals("v1", httpGet(port, "/").strip());
        assertEventsFollowed();
    }

    @ParameterizedTest(name = "live-restore={0}")
    @ValueSource(booleans = {false, true})
    void aRolloutInterruptedByAnEngineRestartEndsAtTheManifestsRevision(boolean liveRestore) throws Exception {
        onPrivateEngine(liveRestore);
        int port = freePort();
        write("web.yaml", proxiedWeb(TestImages.APP_V1, port, ", minReadySeconds: 3", ""));
        awaitAvailable("web", 2);

        write("web.yaml", proxiedWeb(TestImages.APP_V2, port, ", minReadySeconds: 3", ""));
        // mid-rollout: a replica of revision 2 exists while revision 1 still serves
        await().atMost(EVENTUALLY).pollInterval(Duration.ofMillis(100)).until(() -> containers().stream()
                .anyMatch(c -> "2".equals(c.getLabels().get("dev.berth.revision"))));
        engine.stop();
        awaitReady(false);
        engine.start(liveRestore);

        awaitStatus("web", s -> s.revision() == 2 && s.phase().name().equals("Available")
                && s.replicas().ready() == 2 && s.containers().size() == 2);
        await().atMost(EVENTUALLY).untilAsserted(() -> assertEquals("v2", httpGet(port, "/").strip()));
        await().atMost(EVENTUALLY).untilAsserted(() -> assertEquals(2, containers().size(),
                "exited revision-1 and revision-2 containers are cleaned up: " + whereThingsStand("web")));
    }

    /** A replica killed after the restart is repaired: only the resubscribed event stream (or a probe) tells. */
    private void assertEventsFollowed() throws Exception {
        String victim = runningIds().iterator().next();
        String startedBefore = inspect(victim).getState().getStartedAt();
        docker.killContainerCmd(victim).exec();
        // Repaired in place (started again) or replaced: either way 2 run, and the victim's old run is over.
        await().atMost(EVENTUALLY).until(() -> runningIds().size() == 2 && (!runningIds().contains(victim)
                || !inspect(victim).getState().getStartedAt().equals(startedBefore)));
        awaitAvailable("web", 2);
    }

    private Set<String> runningIds() {
        return running("web").stream().map(Container::getId).collect(Collectors.toSet());
    }

    private HealthCheckResponse awaitReady(boolean up) {
        HealthCheckResponse.Status want = up ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN;
        await().atMost(EVENTUALLY).pollInterval(Duration.ofMillis(200))
                .until(() -> EngineReadiness.check(berth).getStatus() == want);
        return EngineReadiness.check(berth);
    }
}
