package dev.berth.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.Labels;
import dev.berth.swarm.SwarmView.LiveService;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which image reference a service's spec carries on Swarm, and when the registry is asked: the
 * registry answers a digest (d2), none (a local-only image) or fails (null either way).
 */
class SwarmImagesTest {
    @TempDir
    Path root;

    static LiveService live(String labelImage, String ref) {
        ObjectNode spec = SwarmPlannerTest.stored("h1", 1, "").deepCopy();
        spec.withObject("/Labels").put(Labels.IMAGE, labelImage);
        spec.withObject("/TaskTemplate/ContainerSpec").put("Image", ref);
        return new LiveService("id1", 1, "web", spec, null, "completed", "", null, null);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # why                                          | pull policy  | live label | live ref         | fresh | registry | expected         | asked
            new: pinned                                    | missing      | -          | -                | false | d2       | app:v1@d2        | 1
            new, no registry answers: as written           | missing      | -          | -                | false | -        | app:v1           | 1
            same image: the live pin, nobody asked         | missing      | app:v1     | app:v1@d1        | true  | d2       | app:v1@d1        | 0
            Always, a resync: the moved tag is followed    | always       | app:v1     | app:v1@d1        | true  | d2       | app:v1@d2        | 1
            Always, another pass: the live pin             | always       | app:v1     | app:v1@d1        | false | d2       | app:v1@d1        | 0
            Always, registry down: the live pin, no update | always       | app:v1     | app:v1@d1        | true  | -        | app:v1@d1        | 1
            a new tag: pinned afresh                       | missing      | app:v0     | app:v0@d0        | false | d2       | app:v1@d2        | 1
            local-only live: asked on a resync only        | missing      | app:v1     | app:v1           | false | d2       | app:v1           | 0
            local-only live, a resync                      | missing      | app:v1     | app:v1           | true  | -        | app:v1           | 1
            a live ref changed by hand is not kept         | missing      | app:v1     | evil:v9          | false | d2       | app:v1@d2        | 1
            """)
    void rows(String why, String policy, String label, String ref, boolean fresh, String registry, String expected,
            int asked) {
        var spec = new SwarmFixture(root).write("web.yaml", SwarmFixture.service("web", "  pullPolicy: " + policy + "\n")
                .replace("localhost:5000/shop/web:1.4.2", "app:v1")).load().services().get("web");
        AtomicInteger calls = new AtomicInteger();
        String got = SwarmImages.ref(spec, label == null ? null : live(label, ref), fresh, image -> {
            calls.incrementAndGet();
            return registry;
        });
        assertThat(got).as(why).isEqualTo(expected);
        assertThat(calls.get()).as(why + ": registry asked").isEqualTo(asked);
    }
}
