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
 * Compose skips them. A key nobody handles is always a problem, never silently dropped.
 */
final class Keys {
    private Keys() {}

    interface Visitor {
        void visit(String key, String ptr, JsonNode value);
    }

    /** Each key of {@code map} but the extension keys, with its pointer under {@code ptr}. */
    static void each(JsonNode map, String ptr, Visitor visitor) {
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().startsWith("x-")) {
                visitor.visit(e.getKey(), LocatedDocument.child(ptr, e.getKey()), e.getValue());
            }
        }
    }

    /** Hands each key of {@code map} outside {@code known} (extension keys aside) to {@code refuse}; answers whether any was. */
    static boolean refuseOthers(JsonNode map, String ptr, Set<String> known, BiConsumer<String, String> refuse) {
        boolean[] any = {false};
        each(map, ptr, (k, p, v) -> {
            if (!known.contains(k)) {
                refuse.accept(k, p);
                any[0] = true;
            }
        });
        return any[0];
    }
}
