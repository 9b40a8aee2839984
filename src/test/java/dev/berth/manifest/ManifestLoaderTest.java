package dev.berth.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Directory-level behaviour: last good versions, held files, cross-file checks, ignored files. */
class ManifestLoaderTest extends ManifestDirTest {
    @Test
    void aFileBeingWrittenInPlaceIsReadOnceItIsComplete() throws Exception {
        ManifestLoader settling = new ManifestLoader(dir, root.resolve("secrets"), java.time.Duration.ofSeconds(3));
        // The first half is valid YAML on its own: read now, it would mean one replica.
        write("web.yaml", service("web", "app:v1", ""));
        Thread rest = new Thread(() -> {
            try {
                Thread.sleep(100);
                Files.writeString(dir.resolve("web.yaml"), "  replicas: 3\n", java.nio.file.StandardOpenOption.APPEND);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        rest.start();
        LoadResult r = settling.load();
        rest.join();
        assertThat(r.desired().services().get("web").replicas()).isEqualTo(3);
    }

    @Test
    void aFileChangedLongAgoIsReadAtOnce() throws Exception {
        ManifestLoader settling = new ManifestLoader(dir, root.resolve("secrets"), java.time.Duration.ofSeconds(3));
        write("web.yaml", service("web", "app:v1", "  replicas: 2\n"));
        Files.setLastModifiedTime(dir.resolve("web.yaml"),
                java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(60)));
        Files.setLastModifiedTime(dir, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(60)));
        var loading = java.util.concurrent.CompletableFuture.supplyAsync(settling::load);
        // Far less than the quiet time: nothing to wait for.
        assertThat(loading.get(2, java.util.concurrent.TimeUnit.SECONDS).desired().services().get("web").replicas())
                .isEqualTo(2);
    }

    @Test
    void readsNestedYamlAndYmlAndSkipsDotfilesAndEditorFiles() throws IOException {
        write("a.yaml", service("a", "img", ""));
        write("sub/b.yml", service("b", "img", ""));
        write(".hidden.yaml", service("c", "img", ""));
        write(".git/d.yaml", service("d", "img", ""));
        write("e.yaml~", service("e", "img", ""));
        write("#f.yaml#", service("f", "img", ""));
        write("notes.txt", "hello");
        LoadResult r = loader.load();
        assertThat(r.problems()).isEmpty();
        assertThat(r.desired().services()).containsOnlyKeys("a", "b");
        assertThat(r.desired().services().get("b").source()).isEqualTo("sub/b.yml");
    }

    @Test
    void aBrokenFileKeepsItsLastGoodVersionAndIsReported() throws IOException {
        write("web.yaml", service("web", "app:v1", ""));
        assertThat(loader.load().desired().services().get("web").image()).isEqualTo("app:v1");
        write("web.yaml", service("web", "app:v2", "  replicas: many\n"));
        LoadResult r = loader.load();
        assertThat(r.desired().services().get("web").image()).isEqualTo("app:v1");
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("web.yaml");
            assertThat(p.line()).isEqualTo(6);
            assertThat(p.field()).isEqualTo("spec.replicas");
        });
        write("web.yaml", service("web", "app:v2", ""));
        r = loader.load();
        assertThat(r.problems()).isEmpty();
        assertThat(r.desired().services().get("web").image()).isEqualTo("app:v2");
    }

    @Test
    void aBrokenFileWithoutLastGoodVersionIsHeldNotRemoved() throws IOException {
        write("web.yaml", "kind: [");
        LoadResult r = loader.load();
        assertThat(r.desired().services()).isEmpty();
        assertThat(r.desired().heldSources()).containsExactly("web.yaml");
    }

    @Test
    void aRemovedFileIsGone() throws IOException {
        write("web.yaml", service("web", "app:v1", ""));
        loader.load();
        Files.delete(dir.resolve("web.yaml"));
        LoadResult r = loader.load();
        assertThat(r.desired().services()).isEmpty();
        assertThat(r.desired().heldSources()).isEmpty();
        assertThat(r.refusal()).isNull();
    }

    @Test
    void duplicateNamesRejectTheLaterFile() throws IOException {
        write("a.yaml", service("web", "app:v1", ""));
        write("b.yaml", service("web", "app:v2", ""));
        LoadResult r = loader.load();
        assertThat(r.desired().services().get("web").image()).isEqualTo("app:v1");
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("b.yaml");
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.message()).contains("already declared in a.yaml");
        });
        assertThat(r.desired().heldSources()).containsExactly("b.yaml");
    }

    @Test
    void undeclaredReferencesAreRejectedWithTheirLine() throws IOException {
        write("web.yaml", service("web", "app:v1", "  networks: [backend]\n  dependsOn: [db]\n  volumes: [{name: data, target: /d}]\n"));
        LoadResult r = loader.load();
        assertThat(r.desired().services()).isEmpty();
        assertThat(r.problems()).extracting(Problem::field)
                .containsExactlyInAnyOrder("spec.networks[0]", "spec.dependsOn[0]", "spec.volumes[0].name");
        assertThat(r.problems()).extracting(Problem::line).containsExactlyInAnyOrder(6, 7, 8);
    }

    @Test
    void referencesAcrossFilesWork() throws IOException {
        write("net.yaml", "apiVersion: berth.dev/v1\nkind: Network\nmetadata: {name: backend}\n---\n"
                + "apiVersion: berth.dev/v1\nkind: Volume\nmetadata: {name: data}\n");
        write("db.yaml", service("db", "db:1", "  networks: [backend]\n  volumes: [{name: data, target: /d}]\n"));
        write("web.yaml", service("web", "app:v1", "  networks: [backend, default]\n  dependsOn: [db]\n"));
        LoadResult r = loader.load();
        assertThat(r.problems()).isEmpty();
        assertThat(r.desired().services()).containsOnlyKeys("db", "web");
        assertThat(r.desired().networks()).containsOnlyKeys("backend");
        assertThat(r.desired().volumes()).containsOnlyKeys("data");
    }

    @Test
    void dependencyCyclesAndHostPortClashesAreRejected() throws IOException {
        write("a.yaml", service("a", "x", "  dependsOn: [b]\n") + "---\n" + service("b", "x", "  dependsOn: [a]\n"));
        write("c.yaml", service("c", "x", "  ports: [{port: 80, targetPort: 80}]\n"));
        write("d.yaml", service("d", "x", "  ports: [{port: 80, targetPort: 8080}]\n"));
        LoadResult r = loader.load();
        assertThat(r.problems()).anySatisfy(p -> assertThat(p.message()).contains("dependency cycle"));
        assertThat(r.problems()).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo("d.yaml");
            assertThat(p.message()).contains("host port 80 is already published by service 'c'");
        });
        assertThat(r.desired().services()).containsOnlyKeys("c");
    }

    @Test
    void aMissingDirectoryIsRefusedAndKeepsThePreviousState() throws IOException {
        write("web.yaml", service("web", "app:v1", ""));
        loader.load();
        Files.delete(dir.resolve("web.yaml"));
        Files.delete(dir);
        LoadResult r = loader.load();
        assertThat(r.refusal()).contains("cannot be read");
        assertThat(r.desired().services()).containsOnlyKeys("web");
    }

    @Test
    void anUnreadableFileIsHeld() throws IOException {
        write("web.yaml", service("web", "app:v1", ""));
        Path p = dir.resolve("web.yaml");
        Files.setPosixFilePermissions(p, java.util.Set.of());
        LoadResult r = loader.load();
        // root reads files whatever their mode; then the file simply loads
        if (Files.isReadable(p)) {
            assertThat(r.desired().services()).containsOnlyKeys("web");
        } else {
            assertThat(r.desired().heldSources()).containsExactly("web.yaml");
        }
    }
}
