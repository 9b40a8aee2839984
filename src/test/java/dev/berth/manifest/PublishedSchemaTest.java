package dev.berth.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schema users get (docs/) is the one Berth validates with, and the reference documents every field. */
class PublishedSchemaTest {
    @Test
    void docsCopyIsTheSchemaBerthUses() throws IOException {
        try (InputStream in = PublishedSchemaTest.class.getResourceAsStream(SchemaCheck.RESOURCE)) {
            assertThat(Files.readAllBytes(Path.of("docs/manifest.schema.json")))
                    .as("docs/manifest.schema.json must be a copy of src/main/resources%s", SchemaCheck.RESOURCE)
                    .isEqualTo(in.readAllBytes());
        }
    }

    @Test
    void docsCopyIsTheComposeSchemaBerthUses() throws IOException {
        String resource = "/dev/berth/compose.schema.json";
        try (InputStream in = PublishedSchemaTest.class.getResourceAsStream(resource)) {
            assertThat(Files.readAllBytes(Path.of("docs/compose.schema.json")))
                    .as("docs/compose.schema.json must be a copy of src/main/resources%s", resource)
                    .isEqualTo(in.readAllBytes());
        }
    }

    @Test
    void composeReferenceMentionsEveryServiceKeyTheSchemaKnows() throws IOException {
        JsonNode schema = new ObjectMapper().readTree(Path.of("docs/compose.schema.json").toFile());
        List<String> keys = new ArrayList<>();
        // the keys Berth supports (a key it refuses is `true` in the schema and its reason is in Refusals)
        schema.at("/properties/services/additionalProperties/properties").fields().forEachRemaining(e -> {
            if (!e.getValue().isBoolean()) {
                keys.add(e.getKey());
            }
        });
        String reference = Files.readString(Path.of("docs/compose.md"));
        assertThat(keys).isNotEmpty().allSatisfy(k -> assertThat(reference).as("docs/compose.md names '%s'", k)
                .contains("`" + k + "`"));
    }

    @Test
    void manifestReferenceMentionsEveryField() throws IOException {
        JsonNode schema = new ObjectMapper().readTree(Path.of("docs/manifest.schema.json").toFile());
        List<String> fields = new ArrayList<>();
        schema.path("$defs").forEach(def -> def.path("properties").fieldNames().forEachRemaining(fields::add));
        String reference = Files.readString(Path.of("docs/manifests.md"));
        // Each field is the first cell of a row of a field table, not merely a word somewhere.
        assertThat(fields).isNotEmpty().allSatisfy(f -> assertThat(reference).as("docs/manifests.md has a row for '%s'", f)
                .containsPattern("(?m)^\\| `" + java.util.regex.Pattern.quote(f) + "` \\|"));
    }
}
