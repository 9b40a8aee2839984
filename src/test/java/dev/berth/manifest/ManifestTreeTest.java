package dev.berth.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Symbolic links in the manifests directory itself: a link that leaves it or loops is a problem
 * for that entry and holds what it declared; the rest of the directory loads.
 */
class ManifestTreeTest {
    @TempDir
    Path root;
    Path dir;
    Path outside;
    ManifestLoader loader;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createDirectories(root.resolve("manifests"));
        outside = Files.createDirectories(root.resolve("outside"));
        Files.writeString(outside.resolve("evil.yaml"), service("evil"));
        loader = new ManifestLoader(dir, Files.createDirectories(root.resolve("secrets")));
    }

    static String service(String name) {
        return "apiVersion: berth.dev/v1\nkind: Service\nmetadata: {name: " + name + "}\nspec:\n  image: app:v1\n";
    }

    @Test
    void linksThatLeaveOrLoopAreProblemsOfTheirOwnAndTheRestLoads() throws Exception {
        Files.writeString(dir.resolve("good.yaml"), service("good"));
        Files.createDirectories(dir.resolve("apps"));
        Files.writeString(dir.resolve("apps/api.yaml"), service("api"));
        Files.createSymbolicLink(dir.resolve("self"), Path.of("."));
        Files.createSymbolicLink(dir.resolve("apps/up"), Path.of(".."));
        Files.createSymbolicLink(dir.resolve("x.yaml"), Path.of("y.yaml"));
        Files.createSymbolicLink(dir.resolve("y.yaml"), Path.of("x.yaml"));
        Files.createSymbolicLink(dir.resolve("outside.yaml"), outside.resolve("evil.yaml"));
        Files.createSymbolicLink(dir.resolve("ext"), Path.of("../outside"));
        Files.createSymbolicLink(dir.resolve("gone.yaml"), Path.of("nowhere.yaml"));
        Files.createSymbolicLink(dir.resolve("README"), Path.of("/etc/hostname"));

        LoadResult r = loader.load();

        assertThat(r.refusal()).as("one bad entry never refuses the whole directory").isNull();
        assertThat(r.desired().services()).containsOnlyKeys("good", "api");
        Map<String, String> why = r.problems().stream().collect(Collectors.toMap(Problem::file, Problem::message, (a, b) -> a + " | " + b));
        assertThat(why).containsOnlyKeys("self", "apps/up", "x.yaml", "y.yaml", "outside.yaml", "ext", "gone.yaml");
        assertThat(why.get("self")).contains("symbolic link loop (it leads back to");
        assertThat(why.get("apps/up")).contains("symbolic link loop");
        assertThat(why.get("x.yaml")).isEqualTo("is a symbolic link loop; not followed");
        assertThat(why.get("outside.yaml")).contains("is a symbolic link to " + outside.toRealPath().resolve("evil.yaml"))
                .contains("outside the manifests directory; not followed");
        assertThat(why.get("ext")).contains("outside the manifests directory");
        assertThat(why.get("gone.yaml")).contains("symbolic link to nothing");
        assertThat(r.desired().heldSources()).contains("self", "x.yaml", "outside.yaml", "ext");
    }

    @Test
    void aDirectoryThatBecomesALinkOutsideHoldsWhatItDeclared() throws Exception {
        Path apps = Files.createDirectories(dir.resolve("apps"));
        Files.writeString(apps.resolve("web.yaml"), service("web"));
        Files.writeString(dir.resolve("other.yaml"), service("other"));
        assertThat(loader.load().desired().services()).containsOnlyKeys("web", "other");

        Files.delete(apps.resolve("web.yaml"));
        Files.delete(apps);
        Files.writeString(Files.createDirectories(outside.resolve("apps")).resolve("web.yaml"), service("web"));
        Files.createSymbolicLink(apps, outside.resolve("apps"));
        LoadResult r = loader.load();

        assertThat(r.refusal()).isNull();
        assertThat(r.problems()).extracting(Problem::toString)
                .containsExactly("apps: is a symbolic link to " + outside.toRealPath().resolve("apps")
                        + ", outside the manifests directory; not followed");
        assertThat(r.desired().services()).as("not read from outside").containsOnlyKeys("other");
        assertThat(r.desired().holds("apps/web.yaml")).as("web's containers are left as they run").isTrue();
        assertThat(r.desired().holds("other.yaml")).isFalse();
        assertThat(r.desired().holds("apps2/web.yaml")).isFalse();
    }

    @Test
    void theDirectoryItselfMayBeALink() throws Exception {
        Files.writeString(dir.resolve("web.yaml"), service("web"));
        Path current = Files.createSymbolicLink(root.resolve("current"), dir);
        LoadResult r = new ManifestLoader(current, root.resolve("secrets")).load();
        assertThat(r.problems()).isEmpty();
        assertThat(r.desired().services()).containsOnlyKeys("web");
    }
}
