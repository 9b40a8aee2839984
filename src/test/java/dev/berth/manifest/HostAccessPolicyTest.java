package dev.berth.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.desired.ServiceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which host paths a bind mount may reach: each row a source (real host paths and real links in a
 * temp dir), Berth's allowances, and the refusal expected (null: allowed).
 */
class HostAccessPolicyTest {
    @TempDir
    static Path root;
    static Path state;
    static Path secrets;
    static Path manifests;
    static Path socket;

    @BeforeEach
    void setUp() throws IOException {
        state = Files.createDirectories(root.resolve("var/lib/berth"));
        secrets = Files.createDirectories(root.resolve("etc/berth/secrets"));
        manifests = Files.createDirectories(root.resolve("etc/berth/manifests"));
        Files.createDirectories(manifests.resolve("html"));
        Files.createDirectories(root.resolve("srv/data"));
        socket = root.resolve("engine/docker.sock");
        Files.createDirectories(socket.getParent());
        Files.writeString(socket, "");
        if (!Files.exists(root.resolve("to-etc"))) {
            Files.createSymbolicLink(root.resolve("to-etc"), Path.of("/etc"));
            Files.createSymbolicLink(root.resolve("to-state"), state);
        }
    }

    static HostAccessPolicy policy(String... allowed) {
        return HostAccessPolicy.of(state, secrets, socket, List.of(allowed));
    }

    static Stream<Arguments> sources() {
        return Stream.of(
                Arguments.of("/", List.of(), "web", "it is the host's root directory"),
                Arguments.of("/etc", List.of(), "web", "it is the host system directory /etc (/etc)"),
                Arguments.of("/etc/ssl", List.of(), "web", "it lies inside the host system directory /etc"),
                Arguments.of("/proc", List.of(), "web", "/proc"),
                Arguments.of("/sys/kernel", List.of(), "web", "lies inside the host system directory /sys"),
                Arguments.of("/dev", List.of(), "web", "/dev"),
                Arguments.of("/usr/bin", List.of(), "web", "/usr"),
                Arguments.of("/root", List.of(), "web", "/root"),
                Arguments.of("/home", List.of(), "web", "/home"),
                Arguments.of("/var/run", List.of(), "web", "contains the Docker socket"),
                Arguments.of("/var", List.of(), "web", "contains"),
                Arguments.of("@to-etc", List.of(), "web", "it is the host system directory /etc"),
                Arguments.of("@engine/docker.sock", List.of(), "web", "it is the Docker socket (DOCKER_HOST)"),
                Arguments.of("@engine", List.of(), "web", "it contains the Docker socket (DOCKER_HOST)"),
                Arguments.of("@var/lib/berth", List.of(), "web", "it is Berth's state directory"),
                Arguments.of("@to-state", List.of(), "web", "it is Berth's state directory"),
                Arguments.of("@var", List.of(), "web", "it contains Berth's state directory"),
                Arguments.of("@etc/berth/secrets", List.of(), "web", "it is Berth's secrets directory"),
                Arguments.of("@etc/berth", List.of(), "web", "it contains Berth's secrets directory"),
                Arguments.of("@srv/data", List.of(), "web", null),
                // Allowances from Berth's configuration: a prefix for all, or for one service.
                Arguments.of("/etc/ssl", List.of("/etc/ssl"), "web", null),
                Arguments.of("/etc", List.of("/etc/ssl"), "web", "it is the host system directory /etc"),
                Arguments.of("@engine/docker.sock", List.of("traefik=@engine/docker.sock"), "traefik", null),
                Arguments.of("@engine/docker.sock", List.of("traefik=@engine/docker.sock"), "web", "the Docker socket"),
                Arguments.of("@to-etc", List.of("/etc"), "web", null));
    }

    static Path at(String s) {
        return s.startsWith("@") ? root.resolve(s.substring(1)) : Path.of(s);
    }

    @ParameterizedTest(name = "[{index}] {0} allowed {1} for {2}")
    @MethodSource("sources")
    void protectedPathsAreRefusedUnlessBerthAllowsThem(String source, List<String> allowed, String service, String refusal) {
        HostAccessPolicy p = policy(allowed.stream().map(a -> a.replace("@", root + "/")).toArray(String[]::new));
        Path real = HostAccessPolicy.real(at(source));
        String why = p.refusal(service, real, null);
        if (refusal == null) {
            assertThat(why).isNull();
        } else {
            assertThat(why).contains("bind mount of " + real + " is not allowed: ")
                    .contains(refusal).contains("only Berth's own configuration can allow it (berth.allowed-host-paths, e.g. "
                            + service + "=" + real + ")");
        }
    }

    @Test
    void aRelativeSourceIsNotRefusedForTheManifestsDirectoryLyingInEtcButStillForWhatItContains() throws IOException {
        HostAccessPolicy p = HostAccessPolicy.of(state, manifests.resolve("secrets"), socket, List.of());
        assertThat(p.refusal("web", manifests.resolve("html").toRealPath(), manifests)).isNull();
        Files.createDirectories(manifests.resolve("secrets"));
        assertThat(p.refusal("web", manifests.toRealPath(), manifests)).contains("it contains Berth's secrets directory");
        assertThat(HostAccessPolicy.defaults(secrets).refusal("web", Path.of("/etc"), null)).contains("/etc");
    }

    @Test
    void theSameManifestIsRefusedOrAcceptedByBerthsConfigurationOnly() throws IOException {
        Path certs = Path.of("/etc/ssl/certs").toRealPath();
        String yaml = "apiVersion: berth.dev/v1\nkind: Service\nmetadata: {name: web}\nspec:\n  image: a\n"
                + "  volumes:\n    - {source: /etc/ssl/certs, target: /certs, readOnly: true}\n";
        Path file = manifests.resolve("web.yaml");
        assertThatThrownBy(() -> new ManifestParser(secrets, manifests, policy()).parse("web.yaml", file, yaml))
                .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.problems()).singleElement()
                        .hasToString("web.yaml:7: spec.volumes[0].source: bind mount of " + certs
                                + " is not allowed: it lies inside the host system directory /etc (/etc), which gives a "
                                + "container control of the host; only Berth's own configuration can allow it "
                                + "(berth.allowed-host-paths, e.g. web=" + certs + ")"));
        for (String allowed : List.of("/etc/ssl", "web=/etc/ssl/certs")) {
            ServiceSpec s = assertParses(yaml, file, policy(allowed));
            assertThat(s.volumes().get(0).hostPath()).isEqualTo(certs);
        }
        assertThatThrownBy(() -> new ManifestParser(secrets, manifests, policy("other=/etc/ssl")).parse("web.yaml", file, yaml))
                .as("allowed for another service only").isInstanceOf(ManifestException.class);
    }

    private ServiceSpec assertParses(String yaml, Path file, HostAccessPolicy p) {
        try {
            return (ServiceSpec) new ManifestParser(secrets, manifests, p).parse("web.yaml", file, yaml).declarations().get(0).spec();
        } catch (ManifestException e) {
            throw new AssertionError(e.problems().toString(), e);
        }
    }

    @Test
    void anAllowanceIsAnAbsolutePathOrServiceEqualsAbsolutePath() {
        assertThat(HostAccessPolicy.Allowance.parse(" traefik=/var/run/docker.sock "))
                .isEqualTo(new HostAccessPolicy.Allowance("traefik", Path.of("/var/run/docker.sock")));
        assertThat(HostAccessPolicy.Allowance.parse("/etc/ssl/../ssl/certs"))
                .isEqualTo(new HostAccessPolicy.Allowance(null, Path.of("/etc/ssl/certs")));
        for (String bad : List.of("etc/ssl", "web=certs", "=", "web=")) {
            assertThatThrownBy(() -> HostAccessPolicy.Allowance.parse(bad)).as(bad)
                    .hasMessageContaining("is not an absolute path or service=/absolute/path");
        }
    }
}
