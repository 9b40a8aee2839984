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
import java.util.function.Consumer;

/**
 * Checks a document against the published JSON Schema ({@code docs/manifest.schema.json}, the
 * same file as the classpath resource) and turns the validator's messages into {@link Problem}s
 * that name line and field. Structure is the schema's job; {@link SpecBinder} checks meaning.
 */
public final class SchemaCheck {
    public static final String RESOURCE = "/dev/berth/manifest.schema.json";
    private static final SchemaCheck MANIFEST = new SchemaCheck(RESOURCE,
            (schemaPointer, pointer, name) -> SchemaWords.unknownField(schemaPointer, name));

    /** The reason given for a field the schema does not know. */
    public interface UnknownField {
        String reason(String schemaPointer, String pointer, String name);
    }

    private final JsonSchema schema;
    private final UnknownField unknown;

    /** A check against the JSON Schema at classpath {@code resource}. */
    public SchemaCheck(String resource, UnknownField unknown) {
        this.schema = load(resource);
        this.unknown = unknown;
    }

    private static JsonSchema load(String resource) {
        try (InputStream in = SchemaCheck.class.getResourceAsStream(resource)) {
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Berth manifest's document: number bounds first, then the manifest schema. */
    public static List<Problem> check(LocatedDocument doc) {
        List<Problem> bounds = NumberBounds.check(doc);
        if (!bounds.isEmpty()) {
            return bounds;
        }
        return MANIFEST.problems(doc);
    }

    /** Every place {@code doc} does not fit this schema, in line order, each once. */
    public List<Problem> problems(LocatedDocument doc) {
        return problems(doc, pointer -> { });
    }

    /** The same, and the JSON pointer of each value (or missing key) that does not fit, to {@code misfit}. */
    public List<Problem> problems(LocatedDocument doc, Consumer<String> misfit) {
        List<Problem> problems = new ArrayList<>();
        for (ValidationMessage m : schema.validate(doc.root())) {
            String pointer = m.getInstanceLocation().toString();
            String schemaPointer = m.getSchemaLocation().getFragment().toString();
            String reason = m.getError();
            switch (m.getType()) {
                case "additionalProperties" -> {
                    reason = unknown.reason(schemaPointer, pointer, m.getProperty());
                    pointer = LocatedDocument.child(pointer, m.getProperty());
                }
                case "required" -> {
                    pointer = LocatedDocument.child(pointer, m.getProperty());
                    reason = "is required";
                }
                case "pattern" -> reason = SchemaWords.pattern(pointer, schemaPointer, reason);
                case "type" -> reason = SchemaWords.type(schemaPointer, reason);
                case "enum" -> reason = SchemaWords.enumeration(reason, doc.root().at(pointer));
                default -> { }
            }
            misfit.accept(pointer);
            problems.add(doc.problem(pointer, reason));
        }
        // One wrong value can fail the same check twice (a field typed both at the top and in $defs).
        return problems.stream().distinct()
                .sorted(Comparator.comparingInt(Problem::line).thenComparing(Problem::field)).toList();
    }

    /** True when the message's instance is the whole document (used to skip binding). */
    static boolean isEmpty(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode();
    }
}
