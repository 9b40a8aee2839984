package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static dev.berth.it.TestImages.APP_V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Container;
import dev.berth.api.EngineReadiness;
import dev.berth.app.Berth;
import dev.berth.engine.EngineTimeouts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Faults: an engine that hangs (accepts requests and answers nothing, as a dockerd stuck on a
 * lock does) and an engine that is slow. Berth talks to the engine through an {@link EngineStall}
 * with short bounds ({@link EngineTimeouts}: calls 5 s, ping 1 s), so the test need not wait
 * the default minute. Promises: while the engine hangs, the readiness check answers (DOWN, with
 * the reason) instead of hanging with it, the proxy keeps serving the replicas it has with no
 * failed request, and nothing is removed on the strength of a listing that did not come; once
 * the engine answers, a change written meanwhile is rolled out by itself, including the requests
 * that the engine carries out late, after Berth gave up on them. A slow engine (every request
 * held back) still rolls out with no failed request.
 */
class EngineStallIT extends EngineTestBase {
    static final EngineTimeouts SHORT = new EngineTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1));
    private EngineStall stall;

    private void throughStall() throws Exception {
        stall = new EngineStall(tmp, Path.of("/var/run/docker.sock"));
        berth = Berth.onEngine(settings().withEngineTimeouts(SHORT), stall.dockerHost()).start();
    }

    @AfterEach
    void openStall() throws Exception {
        if (stall != null) {
            stall.answer();
            stopBerth();
            stall.close();
        }
    }

    @Test
    void whileTheEngineHangsReadinessSaysSoAndTrafficFlowsAfterwardsTheChangeRollsOut() throws Exception {
        throughStall();
        int port = freePort();
        write("web.yaml", proxiedWeb(APP_V1, port, "", ""));
        awaitAvailable("web", 2);
        Set<String> v1 = runningIds();

        try (Load load = new Load(port, "/", 4)) {
            await().atMost(EVENTUALLY).until(() -> load.count("v1") > 50);
            stall.hang();
            HealthCheckResponse down = awaitReadiness(HealthCheckResponse.Status.DOWN);
            assertThat(String.valueOf(down.getData().orElseThrow().get("error"))).as(down.getData().toString())
                    .contains("ping");

            write("web.yaml", proxiedWeb(APP_V2, port, "", ""));
            // Past the call bound: passes have failed on their listings; nothing was taken away.
            long served = load.ok.get();
            Thread.sleep(SHORT.call().multipliedBy(3).toMillis());
            assertThat(load.ok.get()).as("the proxy kept serving while the engine hung").isGreaterThan(served + 50);
            assertThat(runningIds()).as("no replica was removed while the engine hung").containsAll(v1);
            assertThat(load.failures).as("failed requests while the engine hung").isEmpty();

            stall.answer();
            awaitReadiness(HealthCheckResponse.Status.UP);
            awaitStatus("web", s -> s.revision() == 2 && s.phase().name().equals("Available")
                    && s.replicas().ready() == 2 && s.containers().size() == 2);
            await().atMost(EVENTUALLY).until(() -> load.count("v2") > 50);
            await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(containers())
                    .as("requests the engine carried out late left nothing behind: " + whereThingsStand("web"))
                    .hasSize(2));
            load.close();
            assertThat(load.failures).as("failed requests of %d", load.ok.get() + load.failures.size()).isEmpty();
        }
    }

    @Test
    void aSlowEngineStillRollsOutWithoutAFailedRequest() throws Exception {
        throughStall();
        int port = freePort();
        write("web.yaml", proxiedWeb(APP_V1, port, "", ""));
        awaitAvailable("web", 2);
        stall.delay(Duration.ofMillis(400));
        try (Load load = new Load(port, "/", 4)) {
            await().atMost(EVENTUALLY).until(() -> load.count("v1") > 50);
            write("web.yaml", proxiedWeb(APP_V2, port, "", ""));
            awaitStatus("web", s -> s.revision() == 2 && s.phase().name().equals("Available")
                    && s.replicas().ready() == 2 && s.containers().size() == 2);
            await().atMost(EVENTUALLY).until(() -> load.count("v2") > 50);
            load.close();
            assertThat(load.failures).as("failed requests of %d", load.ok.get() + load.failures.size()).isEmpty();
        }
        assertThat(EngineReadiness.check(berth).getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    private HealthCheckResponse awaitReadiness(HealthCheckResponse.Status want) throws Exception {
        return awaitReadiness(berth, want);
    }

    /**
     * The readiness check of {@code berth} once it says {@code want}. The check must answer by
     * itself, within a bound of its own (the {@link #SHORT} ping and some): a check that hangs is no check.
     */
    static HealthCheckResponse awaitReadiness(Berth berth, HealthCheckResponse.Status want) throws Exception {
        await().atMost(EVENTUALLY).pollInterval(Duration.ofMillis(200)).until(() -> checkWithin(berth).getStatus() == want);
        return checkWithin(berth);
    }

    private static HealthCheckResponse checkWithin(Berth berth) throws Exception {
        return CompletableFuture.supplyAsync(() -> EngineReadiness.check(berth), EngineStallIT::onItsOwnThread)
                .get(SHORT.ping().plusSeconds(4).toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Not the common pool: on two cores it has one thread, which a hanging check would hold. */
    private static void onItsOwnThread(Runnable r) {
        Thread t = new Thread(r, "readiness-check");
        t.setDaemon(true);
        t.start();
    }

    private Set<String> runningIds() {
        return running("web").stream().map(Container::getId).collect(Collectors.toSet());
    }
}
