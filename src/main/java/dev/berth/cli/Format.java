package dev.berth.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/** {@code -o}: an aligned table for people (the default), or the API's own answer as JSON or YAML for scripts. */
enum Format {
    table, json, yaml;

    /** The API's answer as it came, for -o json / -o yaml; null for a table. */
    String document(JsonNode answer) {
        try {
            return switch (this) {
                case json -> Json.MAPPER.writeValueAsString(answer) + "\n";
                // Only loaded when asked for: YAML costs start-up time the default path does not pay.
                case yaml -> new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
                        .writeValueAsString(answer);
                case table -> null;
            };
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
