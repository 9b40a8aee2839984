package dev.berth.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Checks a document against the published JSON Schema ({@code docs/manifest.schema.json}, the
 * same file as the classpath resource) and turns the validator's messages into {@link Problem}s
 * that name line and field. Structure is the schema's job; {@link SpecBinder} checks meaning.
 */
public final class SchemaCheck {
    public static final String RESOURCE = "/dev/berth/manifest.schema.json";
    private static final JsonSchema SCHEMA = load();

    private SchemaCheck() {}

    private static JsonSchema load() {
        try (InputStream in = SchemaCheck.class.getResourceAsStream(RESOURCE)) {
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Problem> check(LocatedDocument doc) {
        List<Problem> problems = new ArrayList<>();
        for (ValidationMessage m : SCHEMA.validate(doc.root())) {
            String pointer = m.getInstanceLocation().toString();
            String reason = m.getError();
            switch (m.getType()) {
                case "additionalProperties" -> {
                    pointer = LocatedDocument.child(pointer, m.getProperty());
                    reason = "unknown field '" + m.getProperty() + "'";
                }
                case "required" -> {
                    pointer = LocatedDocument.child(pointer, m.getProperty());
                    reason = "is required";
                }
                case "pattern" -> reason = patternReason(pointer, reason);
                default -> { }
            }
            problems.add(new Problem(doc.file(), doc.lineOf(pointer), LocatedDocument.fieldOf(pointer), reason));
        }
        problems.sort(Comparator.comparingInt(Problem::line).thenComparing(Problem::field));
        return problems;
    }

    private static String patternReason(String pointer, String fallback) {
        if (pointer.endsWith("/name") || pointer.contains("/networks/") || pointer.contains("/dependsOn/")) {
            return "must be a DNS label: lower-case letters, digits and '-', starting and ending with a letter or digit";
        }
        if (pointer.endsWith("/target")) {
            return "must be an absolute path in the container";
        }
        if (pointer.endsWith("stopGracePeriod")) {
            return "must be a duration such as 10s, 1m30s or 500ms";
        }
        return fallback;
    }

    /** True when the message's instance is the whole document (used to skip binding). */
    static boolean isEmpty(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode();
    }
}
