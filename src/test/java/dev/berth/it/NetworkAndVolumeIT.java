package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static dev.berth.it.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Services reach each other by name; named volumes outlive replacements and removed manifests. */
class NetworkAndVolumeIT extends EngineTestBase {
    static final String NETWORK = "apiVersion: berth.dev/v1\nkind: Network\nmetadata: {name: backend}\n";
    static final String VOLUME = "apiVersion: berth.dev/v1\nkind: Volume\nmetadata: {name: data}\n";

    @Test
    void servicesResolveEachOtherByNameOnAUserDefinedNetwork() throws Exception {
        write("net.yaml", NETWORK);
        write("web.yaml", service("web", APP_V1, "  networks: [backend]\n  init: true\n"));
        write("client.yaml", service("client", BUSYBOX, "  networks: [backend]\n  init: true\n  command: [sleep, '3600']\n"));
        startBerth();
        awaitAvailable("web", 1);
        awaitAvailable("client", 1);
        String clientId = running("client").get(0).getId();
        await().atMost(EVENTUALLY).untilAsserted(() ->
                assertThat(exec(clientId, "wget", "-qO-", "http://web:8080/")).isEqualTo("v1\n"));
        assertThat(docker.inspectNetworkCmd().withNetworkId(project + "_backend").exec().getLabels())
                .containsEntry("dev.berth.managed", "true").containsEntry("dev.berth.project", project);
    }

    @Test
    void namedVolumeDataSurvivesReplacementAndManifestRemoval() throws Exception {
        write("vol.yaml", VOLUME);
        String writer = "  init: true\n  volumes: [{name: data, target: /data}]\n"
                + "  command: [sh, -c, 'test -f /data/first || echo kept > /data/first; sleep 3600']\n";
        write("db.yaml", service("db", BUSYBOX, writer + "  env: {REV: one}\n"));
        startBerth();
        awaitAvailable("db", 1);
        String first = running("db").get(0).getId();
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(exec(first, "cat", "/data/first")).isEqualTo("kept\n"));
        exec(first, "sh", "-c", "echo written-by-r1 > /data/marker");

        // A new revision replaces the container; the data stays.
        write("db.yaml", service("db", BUSYBOX, writer + "  env: {REV: two}\n"));
        awaitStatus("db", s -> s.revision() == 2 && s.phase().name().equals("Available"));
        String second = running("db").get(0).getId();
        assertThat(second).isNotEqualTo(first);
        assertThat(exec(second, "cat", "/data/marker")).isEqualTo("written-by-r1\n");

        // Removing every manifest that mentions the volume removes the containers, never the volume.
        Files.delete(manifests.resolve("db.yaml"));
        Files.delete(manifests.resolve("vol.yaml"));
        write("keep.yaml", service("keep", APP_V1, "  replicas: 0\n"));
        await().atMost(EVENTUALLY).until(() -> containers("db").isEmpty());
        awaitPasses(2);
        assertThat(docker.inspectVolumeCmd(project + "_data").exec().getName()).isEqualTo(project + "_data");

        // Declared again, the old data is there.
        write("vol.yaml", VOLUME);
        write("db.yaml", service("db", BUSYBOX, writer + "  env: {REV: two}\n"));
        awaitAvailable("db", 1);
        String third = running("db").get(0).getId();
        assertThat(exec(third, "cat", "/data/marker")).isEqualTo("written-by-r1\n");
    }
}
