package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import dev.berth.desired.Hardening;
import dev.berth.manifest.Problem;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Against the real engine: a manifest that asks for the host is refused and touches nothing that
 * runs, and every container Berth creates has no-new-privileges and no capability beyond the
 * Pod Security Standards baseline.
 */
class HostAccessIT extends EngineTestBase {

    @Test
    void aManifestMountingEtcIsRefusedWithItsMessageAndWhatRunsStaysUntouched() throws Exception {
        write("web.yaml", service("web", APP_V1, "  init: true\n"));
        startBerth();
        awaitAvailable("web", 1);
        String id = running("web").get(0).getId();

        // A new file that mounts /etc, and an edit of the running service's file that does too.
        write("root.yaml", service("root", APP_V1, "  init: true\n  volumes: [{source: /etc, target: /host-etc}]\n"));
        write("web.yaml", service("web", APP_V1, "  init: true\n  volumes: [{source: /etc/, target: /host-etc}]\n"));
        await().atMost(EVENTUALLY).until(() -> berth.status().problems().size() == 2);
        List<Problem> problems = berth.status().problems();
        assertThat(problems).extracting(Problem::file).containsExactlyInAnyOrder("root.yaml", "web.yaml");
        assertThat(problems).allSatisfy(p -> {
            assertThat(p.line()).isEqualTo(8);
            assertThat(p.field()).isEqualTo("spec.volumes[0].source");
            assertThat(p.message()).startsWith("bind mount of /etc is not allowed: it is the host system directory /etc (/etc), "
                    + "which gives a container control of the host; only Berth's own configuration can allow it");
        });

        awaitPasses(3);
        assertThat(containers("root")).as("nothing created for the refused file").isEmpty();
        assertThat(running("web")).extracting(Container::getId).as("the running service is left as it was").containsExactly(id);
        assertThat(status("web").orElseThrow().revision()).isEqualTo(1);
        assertThat(docker.inspectContainerCmd(id).exec().getMounts()).as("and still mounts nothing of the host").isEmpty();
    }

    @Test
    void aCreatedContainerHasNoNewPrivilegesAndOnlyTheBaselineCapabilities() throws Exception {
        write("web.yaml", service("web", APP_V1, "  init: true\n"));
        startBerth();
        awaitAvailable("web", 1);
        String id = running("web").get(0).getId();

        InspectContainerResponse c = docker.inspectContainerCmd(id).exec();
        assertThat(c.getHostConfig().getSecurityOpts()).containsExactly("no-new-privileges");
        assertThat(c.getHostConfig().getCapDrop()).containsExactly(Capability.ALL);
        assertThat(Arrays.stream(c.getHostConfig().getCapAdd()).map(Capability::name).toList())
                .containsExactlyInAnyOrderElementsOf(Hardening.BASELINE_CAPABILITIES).doesNotContain("NET_RAW");

        // What the process really has, as the kernel tells it.
        String status = exec(id, "cat", "/proc/self/status");
        assertThat(status).contains("NoNewPrivs:\t1");
        long bounding = Long.parseLong(line(status, "CapBnd:"), 16);
        assertThat(bounding & (1L << 13)).as("CAP_NET_RAW (13) is not in the bounding set").isZero();
        assertThat(bounding & (1L << 0)).as("CAP_CHOWN (0) still is").isNotZero();
        assertThat(bounding & (1L << 10)).as("CAP_NET_BIND_SERVICE (10) still is").isNotZero();
        assertThat(Long.bitCount(bounding)).isEqualTo(Hardening.BASELINE_CAPABILITIES.size());
    }

    private static String line(String status, String key) {
        return status.lines().filter(l -> l.startsWith(key)).findFirst().orElseThrow().substring(key.length()).strip();
    }
}
