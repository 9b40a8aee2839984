package dev.berth.app;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackendTest {
    @Test
    void onSwarmOnlyTheWholeBerthRuns() {
        assertThatCode(() -> Backend.SWARM.check(Role.ALL)).doesNotThrowAnyException();
        assertThatThrownBy(() -> Backend.SWARM.check(Role.CONTROL)).hasMessageContaining("berth.role=control")
                .hasMessageContaining("use berth.role=all");
        assertThatThrownBy(() -> Backend.SWARM.check(Role.PROXY)).hasMessageContaining("berth.role=proxy");
        for (Role r : Role.values()) {
            assertThatCode(() -> Backend.ENGINE.check(r)).as(r.name()).doesNotThrowAnyException();
        }
    }

    @Test
    void aBackendIsEngineOrSwarm() {
        assertThatThrownBy(() -> Backend.parse("kubernetes")).hasMessage("berth.backend must be engine or swarm, not 'kubernetes'");
    }
}
