package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestPathTest {
    @ParameterizedTest
    @ValueSource(strings = {"web.yaml", "web.yml", "team/web.yaml", "a/b/c/compose.yaml", "web-1_x.yaml", "ü.yaml"})
    void accepts(String path) throws Exception {
        assertThat(ManifestPath.parse(path).value()).isEqualTo(path);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "''|required",
        "/etc/berth/web.yaml|absolute",
        "../web.yaml|'..'",
        "team/../../web.yaml|'..'",
        "./web.yaml|'.'",
        "team//web.yaml|empty segment",
        "team/|empty segment",
        ".web.yaml|hidden",
        ".git/config.yaml|hidden",
        "team/.env.yaml|hidden",
        "#web.yaml#|leftover",
        "web.yaml~|leftover",
        "web.json|.yaml or .yml",
        "web|.yaml or .yml",
        "team|.yaml or .yml",
        "web.yaml.bak|.yaml or .yml",
        "team\\web.yaml|'\\'",
        "C:\\web.yaml|'\\'",
    })
    void refuses(String path, String reason) {
        assertThatThrownBy(() -> ManifestPath.parse(path)).isInstanceOf(ManifestPath.Invalid.class).hasMessageContaining(reason);
    }

    @org.junit.jupiter.api.Test
    void refusesControlCharactersAndLongPaths() {
        assertThatThrownBy(() -> ManifestPath.parse("we\nb.yaml")).hasMessageContaining("control character");
        assertThatThrownBy(() -> ManifestPath.parse("a\0.yaml")).hasMessageContaining("control character");
        assertThatThrownBy(() -> ManifestPath.parse("a".repeat(300) + ".yaml")).hasMessageContaining("at most 255");
    }

    @ParameterizedTest(name = "subdir {0}")
    @CsvSource(delimiter = '|', value = {"''|''", "pushed|pushed", "pushed/|pushed", "' a/b '|a/b"})
    void subdirectories(String raw, String expected) throws Exception {
        assertThat(ManifestPath.subdir(raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/srv/pushed", "../pushed", ".pushed", "a/../b"})
    void refusesSubdirectoriesOutsideOrHidden(String raw) {
        assertThatThrownBy(() -> ManifestPath.subdir(raw)).isInstanceOf(ManifestPath.Invalid.class)
                .hasMessageContaining("berth.api.manifests.subdir");
    }
}
