package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.manifest.ManifestHash;
import dev.berth.manifest.ManifestLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pushes and removals against a real directory and the real loader's trial. */
class ManifestWritesTest {
    @TempDir
    Path root;
    Path dir;
    ManifestArea area;
    ManifestWrites writes;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createDirectories(root.resolve("manifests"));
        ManifestLoader loader = new ManifestLoader(dir, Files.createDirectories(root.resolve("secrets")));
        area = new ManifestArea(dir, "");
        writes = new ManifestWrites(area, loader::trial);
    }

    static byte[] web(String image) {
        return ("apiVersion: berth.dev/v1\nkind: Service\nmetadata: {name: web}\nspec:\n  image: " + image + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    static ManifestPath p(String s) throws ManifestPath.Invalid {
        return ManifestPath.parse(s);
    }

    @Test
    void createsThenReplacesThenRefusesAStaleHash() throws Exception {
        var created = (ManifestWrites.Written) writes.put(p("web.yaml"), web("app:v1"), null, "*");
        assertThat(created.created()).isTrue();
        assertThat(created.hash()).isEqualTo(ManifestHash.ofBytes(web("app:v1")));
        assertThat(writes.put(p("web.yaml"), web("app:v1"), null, "*")).isInstanceOf(ManifestWrites.Refused.class);

        var replaced = (ManifestWrites.Written) writes.put(p("web.yaml"), web("app:v2"), "\"" + created.hash() + "\"", null);
        assertThat(replaced.created()).isFalse();
        assertThat(replaced.changed()).isTrue();
        var stale = (ManifestWrites.Refused) writes.put(p("web.yaml"), web("app:v3"), "\"" + created.hash() + "\"", null);
        assertThat(stale.status()).isEqualTo(412);
        assertThat(dir.resolve("web.yaml")).hasBinaryContent(web("app:v2"));

        var same = (ManifestWrites.Written) writes.put(p("web.yaml"), web("app:v2"), null, null);
        assertThat(same.changed()).isFalse();
    }

    @Test
    void anInvalidPushWritesNothing() throws Exception {
        writes.put(p("web.yaml"), web("app:v1"), null, null);
        byte[] bad = "apiVersion: berth.dev/v1\nkind: Service\nmetadata: {name: web}\nspec:\n  image: app:v2\n  replicas: -1\n"
                .getBytes(StandardCharsets.UTF_8);
        var invalid = (ManifestWrites.Invalid) writes.put(p("web.yaml"), bad, null, null);
        assertThat(invalid.problems()).singleElement().satisfies(pr -> assertThat(pr.line()).isEqualTo(6));
        assertThat(dir.resolve("web.yaml")).hasBinaryContent(web("app:v1"));
        assertThat(writes.put(p("other.yaml"), web("app:v3"), null, null)).isInstanceOf(ManifestWrites.Invalid.class);
        assertThat(dir.resolve("other.yaml")).doesNotExist();
    }

    @Test
    void twoConditionalPushesAgainstOneVersionLetExactlyOneThrough() throws Exception {
        String base = ((ManifestWrites.Written) writes.put(p("web.yaml"), web("app:v1"), null, null)).hash();
        for (int round = 0; round < 20; round++) {
            String expected = ManifestHash.ofBytes(Files.readAllBytes(dir.resolve("web.yaml")));
            int threads = 4;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<ManifestWrites.Outcome>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                byte[] body = web("app:r" + round + "t" + t);
                results.add(pool.submit(() -> {
                    go.await();
                    return writes.put(p("web.yaml"), body, "\"" + expected + "\"", null);
                }));
            }
            go.countDown();
            int written = 0;
            int refused = 0;
            for (Future<ManifestWrites.Outcome> f : results) {
                ManifestWrites.Outcome o = f.get();
                if (o instanceof ManifestWrites.Written) {
                    written++;
                } else if (o instanceof ManifestWrites.Refused r && r.status() == 412) {
                    refused++;
                }
            }
            pool.shutdown();
            assertThat(written).as("round %d", round).isEqualTo(1);
            assertThat(refused).isEqualTo(threads - 1);
        }
        assertThat(base).isNotEqualTo(ManifestHash.ofBytes(Files.readAllBytes(dir.resolve("web.yaml"))));
    }

    @Test
    void removingTheLastServiceNeedsLeave() throws Exception {
        writes.put(p("web.yaml"), web("app:v1"), null, null);
        var refused = (ManifestWrites.Refused) writes.delete(p("web.yaml"), null, () -> false);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(dir.resolve("web.yaml")).exists();
        assertThat(writes.delete(p("web.yaml"), "\"sha256:other\"", () -> true))
                .isEqualTo(new ManifestWrites.Refused(412, "If-Match: the file changed; its hash is now "
                        + ManifestHash.ofBytes(web("app:v1")) + " (read it again, then write)"));
        assertThat(writes.delete(p("web.yaml"), null, () -> true)).isInstanceOf(ManifestWrites.Removed.class);
        assertThat(dir.resolve("web.yaml")).doesNotExist();
        assertThat(((ManifestWrites.Refused) writes.delete(p("web.yaml"), null, () -> true)).status()).isEqualTo(404);
    }

    @Test
    void aPathThroughALinkOutIsABadRequest() throws Exception {
        Path outside = Files.createDirectories(root.resolve("outside"));
        Files.createSymbolicLink(dir.resolve("out"), outside);
        var r = (ManifestWrites.Refused) writes.put(p("out/web.yaml"), web("app:v1"), null, null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(outside.resolve("web.yaml")).doesNotExist();
    }
}
