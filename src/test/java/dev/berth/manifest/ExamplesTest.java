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

    /**
     * The same manifests on a Swarm: all of them map but web's volume, a local volume its two
     * replicas share on one host, which on Swarm would be one copy per node (docs/swarm.md).
     */
    @Test
    void deployExamplesMapToSwarmButForWebsSharedLocalVolume() {
        LoadResult r = new ManifestLoader(Path.of("deploy/examples"), Path.of("deploy/examples-secrets")).load();
        assertThat(dev.berth.swarm.SwarmCheck.problems("examples", r.desired()))
                .extracting(p -> p.file() + " " + p.field())
                .containsExactly("web.yaml spec.volumes[0].name");
    }
}
