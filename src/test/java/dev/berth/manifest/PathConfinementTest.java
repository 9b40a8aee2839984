package dev.berth.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.desired.ServiceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Files a manifest names stay inside the manifests directory, after symbolic links: each row is a
 * manifest on a real directory with real links, and the problem (line, field, reason) it gets.
 */
class PathConfinementTest {
    private static final String HEAD = "apiVersion: berth.dev/v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  image: a\n";

    @TempDir
    Path root;
    Path dir;
    Path secrets;

    /**
     * root/outside/{shadow,app.env,dir/app.conf} — a stand-in for /etc
     * root/secrets/{db-password, leak → ../outside/shadow}
     * root/manifests/{web.conf, app.env, html/, sub/, in-link.conf → web.conf, out-link.conf → ../outside/shadow,
     *                 out-dir → ../outside/dir, loop-a → loop-b, loop-b → loop-a, dangling.conf → nowhere}
     */
    @BeforeEach
    void setUp() throws IOException {
        Path outside = Files.createDirectories(root.resolve("outside"));
        Files.writeString(outside.resolve("shadow"), "root:$6$secret\n");
        Files.writeString(outside.resolve("app.env"), "STOLEN=1\n");
        Files.writeString(Files.createDirectories(outside.resolve("dir")).resolve("app.conf"), "stolen\n");
        secrets = Files.createDirectories(root.resolve("secrets"));
        Files.writeString(secrets.resolve("db-password"), "pw");
        Files.createSymbolicLink(secrets.resolve("leak"), outside.resolve("shadow"));
        dir = Files.createDirectories(root.resolve("manifests"));
        Files.writeString(dir.resolve("web.conf"), "x\n");
        Files.writeString(dir.resolve("app.env"), "A=1\n");
        Files.createDirectories(dir.resolve("html"));
        Files.createDirectories(dir.resolve("sub"));
        Files.createSymbolicLink(dir.resolve("in-link.conf"), Path.of("web.conf"));
        Files.createSymbolicLink(dir.resolve("out-link.conf"), Path.of("../outside/shadow"));
        Files.createSymbolicLink(dir.resolve("out-link.env"), outside.resolve("app.env"));
        Files.createSymbolicLink(dir.resolve("out-dir"), Path.of("../outside/dir"));
        Files.createSymbolicLink(dir.resolve("loop-a"), Path.of("loop-b"));
        Files.createSymbolicLink(dir.resolve("loop-b"), Path.of("loop-a"));
        Files.createSymbolicLink(dir.resolve("dangling.conf"), Path.of("nowhere"));
    }

    static String config(String source) {
        return HEAD + "  configs:\n    - source: " + source + "\n      target: /etc/app.conf\n";
    }

    static String envFile(String source) {
        return HEAD + "  envFiles:\n    - " + source + "\n";
    }

    static String bind(String source) {
        return HEAD + "  volumes:\n    - source: " + source + "\n      target: /data\n";
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(config("/etc/shadow"), 8, "spec.configs[0].source", "absolute paths are not allowed (/etc/shadow)"),
                Arguments.of(config("../outside/shadow"), 8, "spec.configs[0].source", "'../outside/shadow' leaves the manifests directory"),
                Arguments.of(config("sub/../../outside/shadow"), 8, "spec.configs[0].source", "leaves the manifests directory"),
                Arguments.of(config("out-link.conf"), 8, "spec.configs[0].source", "is a symbolic link (or lies under one) to "),
                Arguments.of(config("out-dir/app.conf"), 8, "spec.configs[0].source", "is a symbolic link (or lies under one) to "),
                Arguments.of(config("out-dir/missing.conf"), 8, "spec.configs[0].source", "does not exist"),
                Arguments.of(config("loop-a"), 8, "spec.configs[0].source", "'loop-a' is a symbolic link loop"),
                Arguments.of(config("dangling.conf"), 8, "spec.configs[0].source", "does not exist"),
                Arguments.of(envFile("/etc/berth/api-token"), 8, "spec.envFiles[0]", "absolute paths are not allowed"),
                Arguments.of(envFile("../outside/app.env"), 8, "spec.envFiles[0]", "leaves the manifests directory"),
                Arguments.of(envFile("out-link.env"), 8, "spec.envFiles[0]", "outside the directory"),
                Arguments.of(envFile("loop-b"), 8, "spec.envFiles[0]", "symbolic link loop"),
                Arguments.of(bind("../outside/dir"), 8, "spec.volumes[0].source", "leaves the manifests directory"),
                Arguments.of(bind("./out-dir"), 8, "spec.volumes[0].source", "is a symbolic link (or lies under one) to "),
                Arguments.of(bind("loop-a"), 8, "spec.volumes[0].source", "symbolic link loop"),
                Arguments.of(HEAD + "  secrets: [{name: leak}]\n", 7, "spec.secrets[0].name", "secrets come only from the secrets directory"),
                Arguments.of(HEAD + "  secrets: [{name: ../outside/shadow}]\n", 7, "spec.secrets[0].name", "must be a file name in the secrets directory"));
    }

    @ParameterizedTest(name = "[{index}] {3}")
    @MethodSource("refused")
    void pathsThatLeaveTheDirectoryAreRefusedWithFileLineFieldAndReason(String yaml, int line, String field, String reason) {
        ManifestParser parser = new ManifestParser(secrets, dir, HostAccessPolicy.defaults(secrets));
        assertThatThrownBy(() -> parser.parse("web.yaml", dir.resolve("web.yaml"), yaml))
                .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.problems()).anySatisfy(p -> {
                    assertThat(p.file()).isEqualTo("web.yaml");
                    assertThat(p.line()).as("line of %s", p).isEqualTo(line);
                    assertThat(p.field()).as("field of %s", p).isEqualTo(field);
                    assertThat(p.message()).as("message of %s", p).contains(reason);
                }));
    }

    @Test
    void pathsInsideTheDirectoryResolveToTheirRealPath() throws Exception {
        String yaml = HEAD + "  envFiles: [sub/../app.env]\n  configs:\n    - {source: in-link.conf, target: /etc/a}\n"
                + "  volumes:\n    - {source: ./html, target: /srv}\n";
        Files.writeString(dir.resolve("sub/web.yaml"), "");
        ServiceSpec s = (ServiceSpec) new ManifestParser(secrets, dir, HostAccessPolicy.defaults(secrets))
                .parse("web.yaml", dir.resolve("web.yaml"), yaml).declarations().get(0).spec();
        assertThat(s.env()).containsEntry("A", "1");
        assertThat(s.configs().get(0).source()).as("the link's target, so a later swap of the link is seen")
                .isEqualTo(dir.resolve("web.conf").toRealPath());
        assertThat(s.volumes().get(0).hostPath()).isEqualTo(dir.resolve("html").toRealPath());
    }

    @Test
    void aManifestInASubdirectoryMayNameFilesAnywhereInTheManifestsDirectory() throws Exception {
        PathConfinement c = new PathConfinement(dir);
        assertThat(c.resolve(dir.resolve("sub"), "../web.conf")).isEqualTo(dir.resolve("web.conf").toRealPath());
        assertThatThrownBy(() -> c.resolve(dir.resolve("sub"), "../../outside/shadow"))
                .hasMessageContaining("leaves the manifests directory");
    }

    @Test
    void theDirectoryMayItselfBeALink() throws Exception {
        Path release = Files.createSymbolicLink(root.resolve("current"), dir);
        PathConfinement c = new PathConfinement(release);
        assertThat(c.resolve(release, "web.conf")).isEqualTo(dir.resolve("web.conf").toRealPath());
        assertThatThrownBy(() -> c.resolve(release, "out-link.conf")).hasMessageContaining("not followed");
    }

    @Test
    void aSecretNameIsNeverAPath() {
        PathConfinement s = new PathConfinement(secrets);
        for (String bad : new String[] {"..", ".", "a/b", "../x", "", "a\\b"}) {
            assertThatThrownBy(() -> s.resolveName(bad)).as(bad).hasMessageContaining("plain name");
        }
        assertThatThrownBy(() -> s.resolveName("leak")).hasMessageContaining("outside the directory");
    }
}
