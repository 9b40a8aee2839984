package dev.berth.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EnvFileTest {
    @Test
    void parsesDockerEnvFiles() {
        var env = EnvFile.parse("# c\n\nA=1\nexport B = two\nC=\"quoted value\"\nD='x'\nE=a=b\nF=\n");
        assertThat(env).containsEntry("A", "1").containsEntry("B", "two").containsEntry("C", "quoted value")
                .containsEntry("D", "x").containsEntry("E", "a=b").containsEntry("F", "");
    }

    @Test
    void namesTheBadLine() {
        assertThatThrownBy(() -> EnvFile.parse("A=1\nnot a pair\n")).hasMessageContaining("line 2");
    }
}
