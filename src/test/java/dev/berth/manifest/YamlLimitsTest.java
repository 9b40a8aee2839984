package dev.berth.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reader's guards: aliases expand (within bounds), text decoding, field hints. */
class YamlLimitsTest {

    @Test
    void anAliasStandsForItsAnchoredValue() throws Exception {
        List<LocatedDocument> docs = YamlReader.read("a.yaml", """
                spec:
                  command: &cmd [httpd, -f]
                  entrypoint: *cmd
                  image: &img web:1
                  workingDir: *img
                """);
        assertThat(docs.get(0).root().at("/spec/entrypoint/1").asText()).isEqualTo("-f");
        assertThat(docs.get(0).root().at("/spec/workingDir").asText()).isEqualTo("web:1");
        assertThat(docs.get(0).lineOf("/spec/entrypoint/0")).isEqualTo(3);
    }

    @Test
    void aMergeKeyAddsTheKeysTheMappingDoesNotSetItself() throws Exception {
        List<LocatedDocument> docs = YamlReader.read("compose.yaml", """
                x-defaults: &defaults
                  restart: always
                  init: true
                  stop_grace_period: 5s
                x-more: &more
                  init: false
                  user: "1000"
                services:
                  web:
                    image: web:1
                    <<: [*defaults, *more]
                    stop_grace_period: 20s
                  db:
                    <<: *defaults
                """);
        JsonNode web = docs.get(0).root().at("/services/web");
        assertThat(web.path("stop_grace_period").asText()).as("the mapping's own key wins, even after <<").isEqualTo("20s");
        assertThat(web.path("init").asBoolean()).as("the first merged mapping wins").isTrue();
        assertThat(web.path("user").asText()).isEqualTo("1000");
        assertThat(web.has("<<")).isFalse();
        assertThat(docs.get(0).root().at("/services/db/restart").asText()).isEqualTo("always");
        assertThat(docs.get(0).lineOf("/services/web/restart")).as("a merged key is reported at the << line").isEqualTo(11);
        assertThat(docs.get(0).lineOf("/services/web/stop_grace_period")).isEqualTo(12);
    }

    @Test
    void aMergeKeyTakesOnlyMappings() {
        assertThatThrownBy(() -> YamlReader.read("a.yaml", "a: &a [1]\nb:\n  <<: *a\n"))
                .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.problems().get(0).toString())
                        .isEqualTo("a.yaml:3: b.<<: a merge key '<<' takes a mapping or a list of mappings (usually *alias)"));
        assertThatThrownBy(() -> YamlReader.read("a.yaml", "b:\n  <<: {x: 1}\n  <<: {y: 2}\n"))
                .isInstanceOf(ManifestException.class);
    }

    @Test
    void anAnchorBelongsToItsOwnDocument() {
        assertThatThrownBy(() -> YamlReader.read("a.yaml", "a: &x 1\n---\nb: *x\n"))
                .isInstanceOfSatisfying(ManifestException.class, e ->
                        assertThat(e.problems().get(0).toString()).isEqualTo("a.yaml:3: b: alias *x refers to no anchor &x "
                                + "before it in this document"));
    }

    @Test
    void tooManyAliasesAreRefusedEvenWhenSmall() {
        StringBuilder y = new StringBuilder("a: &a 1\nb: [");
        for (int i = 0; i <= ManifestLimits.MAX_ALIASES; i++) {
            y.append(i == 0 ? "" : ", ").append("*a");
        }
        assertThatThrownBy(() -> YamlReader.read("a.yaml", y + "]\n"))
                .isInstanceOfSatisfying(ManifestException.class, e ->
                        assertThat(e.problems().get(0).message()).isEqualTo("more than 100 aliases (*name) in one file"));
    }

    @Test
    void aByteOrderMarkIsDroppedAndTheTextKept() throws Exception {
        byte[] bom = "\uFEFFkind: Service\n".getBytes(StandardCharsets.UTF_8);
        assertThat(ManifestText.decode("a.yaml", bom)).isEqualTo("kind: Service\n");
    }

    @Test
    void theBadByteOfInvalidUtf8IsFoundOnItsLine() {
        byte[] b = "a: 1\nb: 2\nc: \u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> ManifestText.decode("a.yaml", b))
                .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.problems().get(0).toString())
                        .isEqualTo("a.yaml:3: not valid UTF-8 (byte 0xE9 at offset 13); save the file as UTF-8"));
    }

    @Test
    void hintsFindTyposSwapsCaseAndWellKnownNames() {
        List<String> known = List.of("image", "replicas", "dependsOn", "env", "envFiles", "pullPolicy", "stopGracePeriod");
        assertThat(FieldHint.suggest(known, "replicsa")).isEqualTo("replicas");
        assertThat(FieldHint.suggest(known, "Image")).isEqualTo("image");
        assertThat(FieldHint.suggest(known, "depends_on")).isEqualTo("dependsOn");
        assertThat(FieldHint.suggest(known, "env_file")).isEqualTo("envFiles");
        assertThat(FieldHint.suggest(known, "imagePullPolicy")).isEqualTo("pullPolicy");
        assertThat(FieldHint.suggest(known, "environment")).isEqualTo("env");
        assertThat(FieldHint.suggest(known, "colour")).isNull();
        assertThat(FieldHint.suggest(known, "x".repeat(10_000))).isNull();
        assertThat(FieldHint.distance("ab", "ba")).isEqualTo(1);
        assertThat(FieldHint.distance("kitten", "sitting")).isEqualTo(3);
    }

    @Test
    void hintsOnAnySchemaTreeTakeTheParentsPropertiesThatPassTheFilter() throws Exception {
        JsonNode schema = new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
                {"$defs": {"svc": {"properties": {"image": {"type": "string"}, "links": true, "labels": {}},
                                   "additionalProperties": false}}}
                """);
        String pointer = "/$defs/svc/additionalProperties";
        assertThat(FieldHint.suggest(schema, pointer, "imagee", p -> true)).isEqualTo("image");
        assertThat(FieldHint.suggest(schema, pointer, "link", p -> true)).isEqualTo("links");
        assertThat(FieldHint.suggest(schema, pointer, "link", p -> !p.isBoolean())).isNull();
        assertThat(FieldHint.suggest(schema, pointer, "label", p -> !p.isBoolean())).isEqualTo("labels");
        assertThat(FieldHint.suggest("/$defs/serviceSpec/additionalProperties", "replicsa")).isEqualTo("replicas");
    }
}
