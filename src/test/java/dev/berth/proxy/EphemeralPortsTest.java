package dev.berth.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EphemeralPortsTest {
    @TempDir
    Path dir;

    @Test
    void readsTheKernelsRangeAndFallsBackToLinuxsDefault() throws Exception {
        Path f = Files.writeString(dir.resolve("ip_local_port_range"), "40000\t50000\n");
        assertThat(EphemeralPorts.read(f)).containsExactly(40000, 50000);
        assertThat(EphemeralPorts.read(dir.resolve("missing"))).containsExactly(32768, 60999);
        assertThat(EphemeralPorts.contains(8080)).isFalse();
        assertThat(EphemeralPorts.contains(EphemeralPorts.first())).isTrue();
        assertThat(EphemeralPorts.hint(8080)).isNull();
        assertThat(EphemeralPorts.hint(EphemeralPorts.first())).contains("below " + EphemeralPorts.first());
    }
}
