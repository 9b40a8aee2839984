package dev.berth.manifest.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.manifest.LocatedDocument;
import dev.berth.manifest.Origin;
import dev.berth.manifest.Problem;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Brings the keys Compose allows as a list or a map into map form, before merging, as Compose
 * itself does: {@code environment} and {@code labels} ({@code KEY=VALUE} items), and
 * {@code depends_on} and {@code networks} (names). The merge then works by key and the
 * translation sees one shape.
 */
final class ComposeNormal {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ComposeNormal() {}

    static void apply(ComposeTree t, String file, List<Problem> problems) {
        JsonNode services = t.root.path("services");
        if (!services.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!(e.getValue() instanceof ObjectNode s)) {
                continue;
            }
            String sp = LocatedDocument.child("/services", e.getKey());
            toMap(t, s, sp, "environment", ItemRule.KEY_VALUE, file, problems);
            toMap(t, s, sp, "labels", ItemRule.KEY_VALUE, file, problems);
            toMap(t, s, sp, "depends_on", ItemRule.NAME, file, problems);
            toMap(t, s, sp, "networks", ItemRule.NAME, file, problems);
        }
    }

    /**
     * A list of {@code KEY=VALUE} items as the mapping Compose makes of it ({@code [A=1, B]} →
     * {@code {A: "1", B: null}}), each item read as text, for a list normalised elsewhere (the
     * labels of a top-level volume or network).
     */
    static ObjectNode keyValues(JsonNode list) {
        ObjectNode map = NODES.objectNode();
        for (JsonNode item : list) {
            map.set(ItemRule.KEY_VALUE.key(item.asText()), ItemRule.KEY_VALUE.value(item.asText()));
        }
        return map;
    }

    /** How one list item becomes a map entry: {@code KEY=VALUE} pairs or bare names. */
    private enum ItemRule {
        /** {@code [A=1, B]} → {@code {A: "1", B: null}}. */
        KEY_VALUE("each item must be a string KEY=VALUE"),
        /** {@code [db, cache]} → {@code {db: {}, cache: {}}}. */
        NAME("each item must be a name");

        final String shape;

        ItemRule(String shape) {
            this.shape = shape;
        }

        String key(String text) {
            int eq = text.indexOf('=');
            return this == NAME || eq < 0 ? text : text.substring(0, eq);
        }

        JsonNode value(String text) {
            if (this == NAME) {
                return NODES.objectNode();
            }
            int eq = text.indexOf('=');
            return eq < 0 ? NODES.nullNode() : NODES.textNode(text.substring(eq + 1));
        }
    }

    private static void toMap(ComposeTree t, ObjectNode s, String sp, String key, ItemRule rule, String file,
            List<Problem> problems) {
        JsonNode list = s.get(key);
        if (list == null || !list.isArray()) {
            return;
        }
        String lp = LocatedDocument.child(sp, key);
        ObjectNode map = NODES.objectNode();
        Map<String, Origin> moved = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            if (!item.isTextual()) {
                problems.add(t.problem(file, lp + "/" + i, rule.shape));
                continue;
            }
            String k = rule.key(item.asText());
            map.set(k, rule.value(item.asText()));
            moved.put(LocatedDocument.child(lp, k), t.origins.get(lp + "/" + i));
        }
        replace(t, s, key, lp, map, moved);
    }

    /** The list at {@code lp} becomes {@code map}; its items' origins move to their keys. */
    private static void replace(ComposeTree t, ObjectNode s, String key, String lp, ObjectNode map, Map<String, Origin> moved) {
        Origin self = t.origins.get(lp);
        t.forget(lp);
        moved.forEach((k, v) -> {
            if (v != null) {
                t.origins.put(k, v);
            }
        });
        if (self != null) {
            t.origins.put(lp, self);
        }
        s.set(key, map);
    }
}
