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
