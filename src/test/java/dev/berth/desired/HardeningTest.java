package dev.berth.desired;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The baseline list is Docker's default set without NET_RAW, as Pod Security Standards say. */
class HardeningTest {
    /** moby's oci/caps DefaultCapabilities (engine 20.10 to 28). */
    static final List<String> DOCKER_DEFAULTS = List.of("CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW",
            "SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE");

    @Test
    void baselineIsDockersDefaultsWithoutNetRaw() {
        List<String> expected = new ArrayList<>(DOCKER_DEFAULTS);
        expected.remove("NET_RAW");
        assertThat(Hardening.BASELINE_CAPABILITIES).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(Hardening.DEFAULT.noNewPrivileges()).isTrue();
        assertThat(Hardening.DEFAULT.capabilities()).isEqualTo(Hardening.BASELINE_CAPABILITIES);
    }
}
