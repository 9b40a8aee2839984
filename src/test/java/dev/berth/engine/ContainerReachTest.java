package dev.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whether this host reaches the engine's containers at their bridge addresses. */
class ContainerReachTest {

    @ParameterizedTest(name = "{0} → rootless {1}")
    @CsvSource(delimiter = '|', textBlock = """
            name=seccomp,profile=default                          | false
            name=seccomp,profile=default;name=rootless            | true
            name=rootless                                         | true
            name=apparmor;name=seccomp,profile=builtin;name=cgroupns | false
            name=rootlessish                                      | false
            ''                                                    | false
            """)
    void rootlessIsReadFromTheSecurityOptions(String options, boolean rootless) {
        List<String> list = options.isBlank() ? List.of() : List.of(options.split(";"));
        assertThat(ContainerReach.rootless(list)).isEqualTo(rootless);
        assertThat(new ContainerReach(true).get(() -> list)).isEqualTo(!rootless);
    }

    @Test
    void aTcpEngineIsNeverReachedAndNotAsked() {
        List<String> asked = new ArrayList<>();
        assertThat(new ContainerReach(false).get(() -> {
            asked.add("info");
            return List.of();
        })).isFalse();
        assertThat(asked).isEmpty();
    }

    @Test
    void noAnswerMeansNoUntilTheEngineAnswersThenTheAnswerIsKept() {
        ContainerReach reach = new ContainerReach(true);
        List<String> asked = new ArrayList<>();
        Supplier<List<String>> down = () -> {
            asked.add("info");
            throw new EngineException("ask the engine what it is: connection refused");
        };
        assertThat(reach.get(down)).isFalse();
        assertThat(reach.get(down)).as("asked again").isFalse();
        assertThat(asked).hasSize(2);
        assertThat(reach.get(() -> List.of("name=seccomp,profile=default"))).isTrue();
        assertThat(reach.get(down)).as("kept, not asked again").isTrue();
        assertThat(asked).hasSize(2);
    }
}
