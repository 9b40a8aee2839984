package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Container;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A restarted daemon adopts what runs: same containers, same revisions, no spurious rollout. */
class RestartAdoptionIT extends EngineTestBase {

    @Test
    void aRestartedDaemonAdoptsRunningContainers() throws Exception {
        write("web.yaml", service("web", APP_V1, "  replicas: 2\n  init: true\n  env: {A: b}\n"));
        startBerth();
        awaitAvailable("web", 2);
        Map<String, String> before = snapshot();
        stopBerth();

        startBerth();
        awaitAvailable("web", 2);
        awaitPasses(2);
        assertThat(snapshot()).isEqualTo(before);
        assertThat(status("web").orElseThrow().revision()).isEqualTo(1);
    }

    @Test
    void withTheStateDirectoryLostItAdoptsFromLabels() throws Exception {
        write("web.yaml", service("web", APP_V1, "  init: true\n"));
        startBerth();
        awaitAvailable("web", 1);
        write("web.yaml", service("web", APP_V1, "  init: true\n  env: {REV: two}\n"));
        awaitStatus("web", s -> s.revision() == 2 && s.phase().name().equals("Available"));
        // Available comes as soon as revision 2 serves; revision 1's container may still be going.
        await().atMost(EVENTUALLY).until(() -> containers().size() == 1);
        Map<String, String> before = snapshot();
        stopBerth();
        try (Stream<java.nio.file.Path> s = Files.walk(state)) {
            s.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(state)).forEach(p -> p.toFile().delete());
        }

        startBerth();
        awaitAvailable("web", 1);
        awaitPasses(2);
        assertThat(snapshot()).isEqualTo(before);
        assertThat(status("web").orElseThrow().revision()).isEqualTo(2);

        // The next change continues the numbering.
        write("web.yaml", service("web", APP_V1, "  init: true\n  env: {REV: three}\n"));
        awaitStatus("web", s -> s.revision() == 3 && s.phase().name().equals("Available"));
    }

    @Test
    void aRemovalBegunBeforeARestartIsFinishedAndCountsAsLeaving() throws Exception {
        write("web.yaml", service("web", APP_V1, "  replicas: 2\n  init: true\n"));
        startBerth();
        awaitAvailable("web", 2);
        stopBerth();
        // As the last process left it when killed while it removed replica 2.
        Container two = containers().stream().filter(c -> "2".equals(c.getLabels().get("dev.berth.ordinal")))
                .findFirst().orElseThrow();
        Files.writeString(state.resolve("leaving"), two.getId() + "\n");

        startBerth();
        awaitStatus("web", s -> s.containers().stream()
                .anyMatch(c -> two.getId().startsWith(c.id()) && "LEAVING".equals(c.health()))
                || containers().stream().noneMatch(c -> c.getId().equals(two.getId())));
        await().atMost(EVENTUALLY).until(() -> containers().stream().noneMatch(c -> c.getId().equals(two.getId())));
        awaitAvailable("web", 2);
        await().atMost(EVENTUALLY).until(() -> Files.readString(state.resolve("leaving")).isBlank());
        assertThat(status("web").orElseThrow().revision()).isEqualTo(1);
    }

    @Test
    void aCorruptRecordOfRemovalsRemovesNothing() throws Exception {
        write("web.yaml", service("web", APP_V1, "  replicas: 2\n  init: true\n"));
        startBerth();
        awaitAvailable("web", 2);
        Map<String, String> before = snapshot();
        stopBerth();
        Files.write(state.resolve("leaving"), new byte[] {0, (byte) 0xff, 'x', '\n', 'z'});

        startBerth();
        awaitAvailable("web", 2);
        awaitPasses(2);
        assertThat(snapshot()).isEqualTo(before);
    }

    /** id → start time of every container of the project. */
    private Map<String, String> snapshot() {
        return containers().stream().collect(Collectors.toMap(Container::getId,
                c -> inspect(c.getId()).getState().getStartedAt()));
    }
}
