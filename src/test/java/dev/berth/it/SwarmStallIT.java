package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Swarm manager hangs or is slow, as a dockerd stuck on a lock or a raft store on a saturated
 * disk is: Berth talks to it through an {@link EngineStall} relay, with short call bounds
 * ({@link EngineStallIT#SHORT}). Promises, as on one host: while the manager hangs, readiness
 * says so (and answers), and nothing of what runs is taken away on the strength of answers that
 * did not come; once it answers, a change written meanwhile rolls out by itself. A manager that
 * answers every request late still gets the change rolled out.
 */
class SwarmStallIT extends SwarmTestBase {
    private EngineStall stall;

    private void throughStall() throws Exception {
        stall = new EngineStall(tmp, Path.of(HOST.substring("unix://".length())));
        startBerth(settings().withEngineTimeouts(EngineStallIT.SHORT), stall.dockerHost());
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
    void whileTheManagerHangsNothingIsTakenAwayAndTheChangeRollsOutAfterwards() throws Exception {
        throughStall();
        write("web.yaml", SwarmBackendIT.web(SwarmBackendIT.V1, 2, ""));
        awaitAvailable("web", 1, 2);
        long version = settledVersion("web");

        stall.hang();
        HealthCheckResponse down = EngineStallIT.awaitReadiness(berth, HealthCheckResponse.Status.DOWN);
        assertThat(String.valueOf(down.getData().orElseThrow().get("error"))).as(down.getData().toString())
                .contains("ping");
        write("web.yaml", SwarmBackendIT.web(SwarmBackendIT.V2, 2, ""));
        // Past the call bound several times: passes have failed on the manager's silence.
        Thread.sleep(EngineStallIT.SHORT.call().multipliedBy(3).toMillis());
        JsonNode live = liveService("web");
        assertThat(live).as("the service is still there").isNotNull();
        assertThat(live.path("Version").path("Index").asLong()).as("nothing reached the manager").isEqualTo(version);
        assertThat(runningTasks(live)).as("its tasks still run").isEqualTo(2);

        stall.answer();
        EngineStallIT.awaitReadiness(berth, HealthCheckResponse.Status.UP);
        awaitAvailable("web", 2, 2);
        assertThat(liveService("web").path("Spec").path("TaskTemplate").path("ContainerSpec").path("Image").asText())
                .startsWith(SwarmBackendIT.V2);
    }

    @Test
    void aSlowManagerStillGetsTheChangeRolledOut() throws Exception {
        throughStall();
        write("web.yaml", SwarmBackendIT.web(SwarmBackendIT.V1, 2, ""));
        awaitAvailable("web", 1, 2);
        stall.delay(Duration.ofMillis(400));
        write("web.yaml", SwarmBackendIT.web(SwarmBackendIT.V2, 2, ""));
        awaitAvailable("web", 2, 2);
        assertThat(EngineStallIT.awaitReadiness(berth, HealthCheckResponse.Status.UP).getStatus())
                .isEqualTo(HealthCheckResponse.Status.UP);
    }

    private long runningTasks(JsonNode service) {
        return swarm.tasks(List.of(service.path("ID").asText())).stream()
                .filter(t -> "running".equals(t.path("Status").path("State").asText())).count();
    }
}
