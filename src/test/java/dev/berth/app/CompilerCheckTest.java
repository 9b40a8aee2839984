package dev.berth.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CompilerCheckTest {
    @Test
    void onlyAProcessThatServesTheProxyIsWarnedOfTheQuickCompiler() {
        assertThat(CompilerCheck.warning(Role.CONTROL, 1)).isEmpty();
        assertThat(CompilerCheck.warning(Role.ALL, 4)).isEmpty();
        assertThat(CompilerCheck.warning(Role.PROXY, 4)).isEmpty();
        assertThat(CompilerCheck.warning(Role.ALL, 1)).get().asString().contains("berth.role=all")
                .contains("half its throughput").contains("JAVA_JIT_OPTS=");
        assertThat(CompilerCheck.warning(Role.PROXY, 3)).get().asString().contains("berth.role=proxy");
        assertThat(CompilerCheck.tieredStopAtLevel()).as("this JVM's, read").isBetween(0, 4);
    }
}
