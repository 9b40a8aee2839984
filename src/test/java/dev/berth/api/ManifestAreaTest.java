package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.manifest.ManifestHash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the API may read and write, on a real directory with links in it. */
class ManifestAreaTest {
    @TempDir
    Path root;
    Path dir;
    Path outside;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createDirectories(root.resolve("manifests"));
        outside = Files.createDirectories(root.resolve("outside"));
    }

    static ManifestPath p(String s) throws ManifestPath.Invalid {
        return ManifestPath.parse(s);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writesReadsListsAndDeletes() throws Exception {
        ManifestArea area = new ManifestArea(dir, "");
        area.write(p("team/web.yaml"), b("x: 1\n"));
        area.write(p("a.yaml"), b("y: 2\n"));
        Files.writeString(dir.resolve(".hidden.yaml"), "z");
        Files.writeString(dir.resolve("notes.txt"), "z");
        assertThat(area.read(p("team/web.yaml"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("x: 1\n")));
        assertThat(area.list()).containsExactly(new ManifestArea.Entry("a.yaml", ManifestHash.ofBytes(b("y: 2\n")), 5),
                new ManifestArea.Entry("team/web.yaml", ManifestHash.ofBytes(b("x: 1\n")), 5));
        assertThat(Files.getPosixFilePermissions(dir.resolve("a.yaml")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString(ManifestArea.MODE));
        assertThat(area.delete(p("a.yaml"))).isTrue();
        assertThat(area.delete(p("a.yaml"))).isFalse();
        assertThat(area.read(p("a.yaml"))).isEmpty();
    }

    @Test
    void aSubdirectoryConfinesTheApiAndIsCreatedOnTheFirstWrite() throws Exception {
        Files.writeString(dir.resolve("git.yaml"), "x: 1\n");
        ManifestArea area = new ManifestArea(dir, "pushed");
        assertThat(area.list()).isEmpty();
        area.write(p("web.yaml"), b("x: 1\n"));
        assertThat(dir.resolve("pushed/web.yaml")).exists();
        assertThat(area.source(p("web.yaml"))).isEqualTo("pushed/web.yaml");
        assertThat(area.list()).extracting(ManifestArea.Entry::path).containsExactly("web.yaml");
        assertThat(area.read(p("git.yaml"))).isEmpty();
    }

    @Test
    void aLinkOutOfTheDirectoryIsNeitherReadNorWrittenThrough() throws Exception {
        Files.writeString(outside.resolve("shadow.yaml"), "secret");
        Files.createSymbolicLink(dir.resolve("evil.yaml"), outside.resolve("shadow.yaml"));
        Files.createSymbolicLink(dir.resolve("out"), outside);
        ManifestArea area = new ManifestArea(dir, "");
        assertThatThrownBy(() -> area.read(p("evil.yaml"))).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> area.write(p("evil.yaml"), b("x"))).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> area.write(p("out/new.yaml"), b("x"))).hasMessageContaining("outside");
        assertThatThrownBy(() -> area.write(p("out/deeper/new.yaml"), b("x"))).hasMessageContaining("outside");
        assertThatThrownBy(() -> area.delete(p("out/shadow.yaml"))).hasMessageContaining("outside");
        assertThat(outside.resolve("shadow.yaml")).hasContent("secret");
        assertThat(outside.resolve("new.yaml")).doesNotExist();
        assertThat(outside.resolve("deeper")).doesNotExist();
    }

    @Test
    void aLinkInsideTheDirectoryIsFollowedForItsDirectories() throws Exception {
        Files.createDirectories(dir.resolve("real"));
        Files.createSymbolicLink(dir.resolve("alias"), dir.resolve("real"));
        ManifestArea area = new ManifestArea(dir, "");
        area.write(p("alias/web.yaml"), b("x: 1\n"));
        assertThat(dir.resolve("real/web.yaml")).exists();
    }

    @Test
    void aSubdirectoryThatIsALinkOutIsRefused() throws Exception {
        Files.createSymbolicLink(dir.resolve("pushed"), outside);
        ManifestArea area = new ManifestArea(dir, "pushed");
        assertThatThrownBy(() -> area.write(p("web.yaml"), b("x"))).hasMessageContaining("outside");
        assertThat(outside.resolve("web.yaml")).doesNotExist();
    }

    @Test
    void aDirectoryIsNotAFile() throws Exception {
        Files.createDirectories(dir.resolve("web.yaml"));
        assertThatThrownBy(() -> new ManifestArea(dir, "").write(p("web.yaml"), b("x"))).hasMessageContaining("directory");
    }

    @Test
    void aManifestsDirectoryThatIsItselfALinkWorks() throws Exception {
        Path link = Files.createSymbolicLink(root.resolve("current"), dir);
        ManifestArea area = new ManifestArea(link, "pushed");
        area.write(p("web.yaml"), b("x: 1\n"));
        assertThat(dir.resolve("pushed/web.yaml")).exists();
    }
}
