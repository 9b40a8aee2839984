package dev.berth.manifest.compose;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.manifest.LocatedDocument;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * How every Compose mapping is walked: key by key in file order, each with its JSON pointer (so
 * a problem names its line), Compose's {@code x-*} extension keys skipped wherever they are, as
 * Compose skips them, and so are the values the schema refused (it has said why). A key nobody
 * handles is always a problem, never silently dropped.
 */
final class Keys {
    private Keys() {}

    interface Visitor {
        void visit(String key, String ptr, JsonNode value);
    }

    /**
     * Each key of {@code map} but the extension keys and those the schema refused in {@code t}
     * (it has said why), with its pointer under {@code ptr}.
     */
    static void each(ComposeTree t, JsonNode map, String ptr, Visitor visitor) {
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String p = LocatedDocument.child(ptr, e.getKey());
            if (!e.getKey().startsWith("x-") && !t.refused(p)) {
                visitor.visit(e.getKey(), p, e.getValue());
            }
        }
    }

    /**
     * Hands each key of {@code map} outside {@code known} (extension keys, and those the schema
     * refused, aside) to {@code refuse}; answers whether {@code map} has any key outside
     * {@code known}, refused here or by the schema.
     */
    static boolean refuseOthers(ComposeTree t, JsonNode map, String ptr, Set<String> known,
            BiConsumer<String, String> refuse) {
        boolean any = false;
        for (Iterator<String> it = map.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            String p = LocatedDocument.child(ptr, k);
            if (!k.startsWith("x-") && !known.contains(k)) {
                any = true;
                if (!t.refused(p)) {
                    refuse.accept(k, p);
                }
            }
        }
        return any;
    }
}
