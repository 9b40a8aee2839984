package dev.berth.manifest.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.manifest.LocatedDocument;
import dev.berth.manifest.Origin;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * One Berth document ({@code kind: Service}, {@code Volume} or {@code Network}) being written
 * from a Compose tree: every value put here remembers the Compose value it came from, so the
 * schema check, the binder and the cross-file checks name the Compose key and line.
 */
final class BerthDoc {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    final ComposeTree from;
    private final ObjectNode root = NODES.objectNode();
    private final Map<String, Origin> origins = new HashMap<>();
    final ObjectNode spec;

    BerthDoc(ComposeTree from, String kind, String name, String composePtr) {
        this.from = from;
        root.put("apiVersion", "berth.dev/v1");
        root.put("kind", kind);
        ObjectNode metadata = root.putObject("metadata");
        metadata.put("name", name);
        spec = root.putObject("spec");
        note("", composePtr);
        note("/metadata/name", composePtr);
    }

    /** {@code value} at {@code spec/<key>}, from the Compose value at {@code composePtr} (a subtree maps alike). */
    void put(String key, JsonNode value, String composePtr) {
        put(spec, "/spec", key, value, composePtr);
    }

    void put(ObjectNode parent, String parentPtr, String key, JsonNode value, String composePtr) {
        parent.set(key, value);
        copyOrigins(value, LocatedDocument.child(parentPtr, key), composePtr);
    }

    void add(ArrayNode parent, String parentPtr, JsonNode value, String composePtr) {
        parent.add(value);
        copyOrigins(value, parentPtr + "/" + (parent.size() - 1), composePtr);
    }

    /** Records, for the subtree at {@code ptr}, the Compose value at the same place under {@code composePtr}. */
    private void copyOrigins(JsonNode n, String ptr, String composePtr) {
        note(ptr, composePtr);
        if (n.isObject()) {
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                copyOrigins(n.get(k), LocatedDocument.child(ptr, k), LocatedDocument.child(composePtr, k));
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                copyOrigins(n.get(i), ptr + "/" + i, composePtr + "/" + i);
            }
        }
    }

    void note(String ptr, String composePtr) {
        Origin o = from.origin(composePtr);
        if (o != null) {
            origins.put(ptr, o);
        }
    }

    ObjectNode metadata() {
        return (ObjectNode) root.get("metadata");
    }

    LocatedDocument done(String file) {
        if (spec.isEmpty() && !"Service".equals(root.path("kind").asText())) {
            root.remove("spec");
        }
        Origin self = origins.get("");
        return new LocatedDocument(file, root, self == null ? 0 : self.line(), Map.of(), Map.copyOf(origins));
    }
}
