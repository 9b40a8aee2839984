package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static dev.berth.it.TestImages.APP_V2;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A state file that cannot be read stops only its own service: that service is Failed with the
 * file and the reason and its containers are left as they run, the others go on, and the
 * operator's fix (here: deleting the file) brings it back without a restart.
 */
class StateIsolationIT extends EngineTestBase {

    @Test
    void aCorruptStateFileIsolatesItsServiceOnly() throws Exception {
        write("a.yaml", service("a", APP_V1, "  replicas: 1\n  init: true\n"));
        write("b.yaml", service("b", APP_V1, "  replicas: 1\n  init: true\n"));
        startBerth();
        awaitAvailable("a", 1);
        awaitAvailable("b", 1);
        List<String> aBefore = containers("a").stream().map(Container::getId).toList();

        Path file = state.resolve("services").resolve("a.json");
        assertThat(file).exists();
        long failedBefore = berth.loop().failedPasses();
        byte[] garbage = "{\"revisions\": [ this is not json".getBytes();
        Files.write(file, garbage);

        awaitStatus("a", s -> s.phase().name().equals("Failed") && s.message().contains("a.json"));
        // The other service still rolls; the broken one is not touched.
        write("b.yaml", service("b", APP_V2, "  replicas: 1\n  init: true\n"));
        awaitStatus("b", s -> s.revision() == 2 && s.phase().name().equals("Available"));
        write("a.yaml", service("a", APP_V2, "  replicas: 1\n  init: true\n"));
        awaitPasses(3);
        assertThat(containers("a").stream().map(Container::getId).toList()).isEqualTo(aBefore);
        assertThat(Files.readAllBytes(file)).as("the corrupt file is kept for the operator").isEqualTo(garbage);
        assertThat(berth.unreadableState()).containsKey("a");
        assertThat(berth.loop().failedPasses()).as("a pass with an unreadable state file ends normally")
                .isEqualTo(failedBefore);

        // Removing the file: Berth adopts the running container and carries on with the manifest.
        Files.delete(file);
        awaitStatus("a", s -> s.phase().name().equals("Available") && s.image().equals(APP_V2));
        assertThat(berth.unreadableState()).isEmpty();
    }
}
