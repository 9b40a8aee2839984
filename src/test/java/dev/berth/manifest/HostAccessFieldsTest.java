package dev.berth.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Compose's and Kubernetes' host access fields are refused as such, not as typos. */
class HostAccessFieldsTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "privileged: true|a privileged container has every capability and every device",
            "network_mode: host|the host's network namespace",
            "hostNetwork: true|the host's network namespace",
            "pid: host|the host's PID namespace",
            "hostPID: true|the host's PID namespace",
            "ipc: host|the host's IPC namespace",
            "devices: [/dev/sda]|passes no host devices",
            "cap_add: [SYS_ADMIN]|\"baseline\" capabilities and never more",
            "capabilities: {add: [NET_ADMIN]}|\"baseline\" capabilities",
            "security_opt: [seccomp=unconfined]|a manifest cannot loosen them",
            "securityContext: {privileged: true}|a manifest cannot loosen them"})
    void hostAccessFieldsAreRefusedOnPurpose(String field, String reason) {
        String yaml = "apiVersion: berth.dev/v1\nkind: Service\nmetadata: {name: web}\nspec:\n  image: a\n  " + field + "\n";
        String name = field.substring(0, field.indexOf(':'));
        assertThatThrownBy(() -> new ManifestParser(dir).parse("web.yaml", dir.resolve("web.yaml"), yaml))
                .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> {
                            assertThat(p.line()).isEqualTo(6);
                            assertThat(p.field()).isEqualTo("spec." + name);
                            assertThat(p.message()).startsWith("is not allowed: ").contains(reason);
                        }));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"replicaz: 2|unknown field 'replicaz'"})
    void otherUnknownFieldsKeepTheSchemasAnswer(String field, String reason) {
        String yaml = "apiVersion: berth.dev/v1\nkind: Service\nmetadata: {name: web}\nspec:\n  image: a\n  " + field + "\n";
        assertThatThrownBy(() -> new ManifestParser(dir).parse("web.yaml", dir.resolve("web.yaml"), yaml))
                .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p.message()).contains(reason)));
    }
}
