package dev.berth.manifest.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.manifest.FieldHint;
import dev.berth.manifest.LocatedDocument;
import dev.berth.manifest.Problem;
import dev.berth.manifest.SchemaCheck;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The shapes of a Compose file, checked before it is mapped: a JSON Schema of the Compose
 * subset Berth reads ({@code docs/compose.schema.json}, the same file as the classpath resource),
 * by the validator that checks Berth's manifests, on the merged, interpolated, normalised tree,
 * so each problem names the file, line and key. Keys Compose has and Berth refuses are accepted
 * by the schema ({@code true}) and refused by the translation with their reasons; a key nobody
 * knows is refused here, with a guess at the key meant. What the schema refuses, the
 * translation never reads ({@link ComposeTree#refused}), so each problem is said once.
 */
final class ComposeSchema {
    static final String RESOURCE = "/dev/berth/compose.schema.json";
    private static final JsonNode TREE = tree();
    private static final SchemaCheck CHECK = new SchemaCheck(RESOURCE, ComposeSchema::unknown);

    private ComposeSchema() {}

    /** The tree's problems; each value refused is marked in {@code t}, and the translation skips it. */
    static List<Problem> check(ComposeTree t, String file) {
        return CHECK.problems(new LocatedDocument(file, t.root, 0, Map.of(), Map.copyOf(t.origins)), t::refuse);
    }

    private static String unknown(String schemaPointer, String pointer, String name) {
        // A key the schema accepts only to have the translation refuse it ({@code true}) is no good guess.
        String hint = FieldHint.suggest(TREE, schemaPointer, name, property -> !property.isBoolean());
        String what = pointer.isEmpty() ? "is not a top-level Compose key Berth knows (services, volumes, networks, "
                + "secrets, configs, name)"
                : pointer.matches("/services/[^/]+") ? "is not a Compose key Berth knows (see docs/compose.md)"
                : "is not a key Berth knows here (see docs/compose.md)";
        return what + (hint == null ? "" : "; did you mean '" + hint + "'?");
    }

    private static JsonNode tree() {
        try (InputStream in = ComposeSchema.class.getResourceAsStream(RESOURCE)) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
