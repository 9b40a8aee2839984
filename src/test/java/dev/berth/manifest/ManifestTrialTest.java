package dev.berth.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A push checked as the loader would check it: the file alone and in the directory, nothing written. */
class ManifestTrialTest extends ManifestDirTest {
    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aValidNewFileIsAcceptedAndNothingIsWritten() throws Exception {
        write("db.yaml", service("db", "db:1", ""));
        Trial t = loader.trial("web.yaml", bytes(service("web", "app:v1", "  replicas: 2\n")));
        assertThat(t.problems()).isEmpty();
        assertThat(t.file().declarations()).extracting(Declaration::name).containsExactly("web");
        assertThat(t.desired().services()).containsOnlyKeys("db", "web");
        assertThat(dir.resolve("web.yaml")).doesNotExist();
    }

    @Test
    void aBadValueIsRefusedWithFileLineAndField() throws Exception {
        Trial t = loader.trial("web.yaml", bytes(service("web", "app:v1", "  replicas: -3\n")));
        assertThat(t.accepted()).isFalse();
        assertThat(t.file()).isNull();
        assertThat(t.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("web.yaml");
            assertThat(p.line()).isEqualTo(6);
            assertThat(p.field()).isEqualTo("spec.replicas");
        });
    }

    @Test
    void aNameDeclaredInAnotherFileIsRefusedWhicheverFileSortsFirst() throws Exception {
        write("b.yaml", service("web", "app:v1", ""));
        // a.yaml sorts first: the loader would charge b.yaml, which this push would break.
        Trial t = loader.trial("a.yaml", bytes(service("web", "app:v2", "")));
        assertThat(t.accepted()).isFalse();
        assertThat(t.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("b.yaml");
            assertThat(p.message()).contains("already declared in a.yaml");
        });
        Trial later = loader.trial("c.yaml", bytes(service("web", "app:v2", "")));
        assertThat(later.problems()).singleElement().satisfies(p -> assertThat(p.file()).isEqualTo("c.yaml"));
    }

    @Test
    void replacingAFileIsNotADuplicateOfItself() throws Exception {
        write("web.yaml", service("web", "app:v1", ""));
        Trial t = loader.trial("web.yaml", bytes(service("web", "app:v2", "")));
        assertThat(t.problems()).isEmpty();
        assertThat(t.desired().services().get("web").image()).isEqualTo("app:v2");
    }

    @Test
    void problemsOtherFilesAlreadyHaveDoNotBlockAPush() throws Exception {
        write("broken.yaml", service("broken", "app:v1", "  replicas: -3\n"));
        write("lost.yaml", service("lost", "app:v1", "  dependsOn: [nobody]\n"));
        Trial t = loader.trial("web.yaml", bytes(service("web", "app:v1", "")));
        assertThat(t.problems()).isEmpty();
        assertThat(t.desired().heldSources()).contains("broken.yaml");
    }

    @Test
    void aRemovalThatBreaksAnotherFileIsRefused() throws Exception {
        write("db.yaml", service("db", "db:1", ""));
        write("web.yaml", service("web", "app:v1", "  dependsOn: [db]\n"));
        Trial t = loader.trial("db.yaml", null);
        assertThat(t.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("web.yaml");
            assertThat(p.message()).contains("'db' is not declared");
        });
        assertThat(loader.trial("web.yaml", null).problems()).isEmpty();
    }

    @Test
    void removingTheLastFileDeclaresNothing() throws Exception {
        write("web.yaml", service("web", "app:v1", ""));
        assertThat(loader.trial("web.yaml", null).declaresNothing()).isTrue();
        write("db.yaml", service("db", "db:1", ""));
        assertThat(loader.trial("web.yaml", null).declaresNothing()).isFalse();
    }

    @Test
    void anEmptyOrBinaryBodyIsRefusedAsTheLoaderRefusesIt() throws Exception {
        assertThat(loader.trial("web.yaml", new byte[0]).problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("empty"));
        assertThat(loader.trial("web.yaml", new byte[] {'a', 0, 'b'}).problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("NUL"));
        byte[] huge = new byte[ManifestLimits.MAX_FILE_BYTES + 1];
        java.util.Arrays.fill(huge, (byte) 'a');
        assertThat(loader.trial("web.yaml", huge).problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("at most"));
    }

    @Test
    void aComposeFileIsReadAsCompose() throws Exception {
        Trial t = loader.trial("compose.yaml", bytes("services:\n  web:\n    image: app:v1\n"));
        assertThat(t.problems()).isEmpty();
        assertThat(t.desired().services()).containsKey("web");
    }

    @Test
    void theLoadedHashOfADeclarationIsThePushedOne() throws Exception {
        String text = service("web", "app:v1", "  replicas: 2\n  env: {B: '2', A: '1'}\n");
        Trial t = loader.trial("web.yaml", bytes(text));
        String pushed = t.file().declarations().get(0).hash();
        write("web.yaml", text);
        loader.load();
        assertThat(loader.current().manifestHashes()).containsEntry("web", pushed);
        assertThat(pushed).startsWith("sha256:").hasSize(7 + 64);

        // Layout and key order are not part of it; a value is.
        write("web.yaml", "# reformatted\n" + service("web", "app:v1", "  env: {A: '1', B: '2'}\n  replicas: 2\n"));
        loader.load();
        assertThat(loader.current().manifestHashes()).containsEntry("web", pushed);
        write("web.yaml", service("web", "app:v1", "  replicas: 3\n  env: {B: '2', A: '1'}\n"));
        loader.load();
        assertThat(loader.current().manifestHashes().get("web")).isNotEqualTo(pushed);
    }

    @Test
    void aFileHashIsOfItsBytes() throws Exception {
        assertThat(ManifestHash.ofBytes(bytes("abc")))
                .isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        write("x.yaml", "abc");
        assertThat(ManifestHash.ofFile(dir.resolve("x.yaml"))).isEqualTo(ManifestHash.ofBytes(bytes("abc")));
    }
}
