package dev.berth.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The manifests the README sends people to are valid, as Berth reads them. */
class ExamplesTest {

    @Test
    void deployExamplesLoadWithoutProblems() {
        LoadResult r = new ManifestLoader(Path.of("deploy/examples"), Path.of("deploy/examples-secrets")).load();
        assertThat(r.problems()).isEmpty();
        assertThat(r.refusal()).isNull();
        assertThat(r.desired().services()).containsOnlyKeys("web", "gateway", "migrate");
        assertThat(r.desired().networks()).containsKey("backend");
        assertThat(r.desired().volumes()).containsKey("web-data");
    }
}
