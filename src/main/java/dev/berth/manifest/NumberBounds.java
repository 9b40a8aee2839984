package dev.berth.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Every number in a manifest must lie within ±2147483647 (Java's int). No manifest field needs
 * more, and a larger one would otherwise wrap silently when bound ({@code replicas: 99999999999}
 * became a different count) or cost time to convert ({@code 1e999999999}). Checked before the
 * schema, on the comparison of the parsed value alone.
 */
final class NumberBounds {
    private static final BigDecimal MAX = BigDecimal.valueOf(Integer.MAX_VALUE);
    private static final BigDecimal MIN = BigDecimal.valueOf(Integer.MIN_VALUE);

    private NumberBounds() {}

    static List<Problem> check(LocatedDocument doc) {
        List<Problem> problems = new ArrayList<>();
        walk(doc, doc.root(), "", problems);
        return problems;
    }

    private static void walk(LocatedDocument doc, JsonNode n, String ptr, List<Problem> problems) {
        if (n.isNumber()) {
            BigDecimal v = n.decimalValue();
            if (v.compareTo(MAX) > 0 || v.compareTo(MIN) < 0) {
                problems.add(doc.problem(ptr,
                        "the number is too large; numbers in a manifest lie between -2147483648 and 2147483647"));
            }
        } else if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                walk(doc, e.getValue(), LocatedDocument.child(ptr, e.getKey()), problems);
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                walk(doc, n.get(i), ptr + "/" + i, problems);
            }
        }
    }
}
