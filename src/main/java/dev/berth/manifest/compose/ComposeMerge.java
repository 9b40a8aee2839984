package dev.berth.manifest.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.manifest.LocatedDocument;
import java.util.Iterator;
import java.util.Set;

/**
 * Merges an override file over the main one as Compose does (its "merge" rules, for the keys
 * Berth reads): mappings merge key by key; a scalar or a list in the override replaces the
 * main file's, except in a service, where {@code ports}, {@code env_file} and other lists are
 * appended (an equal item once), {@code volumes} merge by container path, and
 * {@code environment}, {@code labels}, {@code depends_on} and {@code networks} merge by key
 * (they are maps by then, see {@link ComposeNormal}). {@code command}, {@code entrypoint} and
 * {@code healthcheck.test} are replaced. Both trees must be normalised; {@code base} changes.
 */
final class ComposeMerge {
    private static final Set<String> REPLACED = Set.of("command", "entrypoint");

    private ComposeMerge() {}

    static void merge(ComposeTree base, ComposeTree over) {
        mapping(base, base.root, "", over, over.root, "", false);
    }

    private static void mapping(ComposeTree base, ObjectNode b, String bp, ComposeTree over, ObjectNode o, String op,
            boolean service) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            String bk = LocatedDocument.child(bp, k);
            String ok = LocatedDocument.child(op, k);
            JsonNode ov = o.get(k);
            JsonNode bv = b.get(k);
            boolean nextIsService = bp.equals("/services");
            if (bv instanceof ObjectNode bo && ov instanceof ObjectNode oo) {
                mapping(base, bo, bk, over, oo, ok, nextIsService);
            } else if (service && bv instanceof ArrayNode ba && ov instanceof ArrayNode oa && !REPLACED.contains(k)) {
                if (k.equals("volumes")) {
                    byTarget(base, ba, bk, over, oa, ok);
                } else {
                    append(base, ba, bk, over, oa, ok);
                }
            } else {
                b.set(k, ov.deepCopy());
                base.adopt(over, ok, bk);
            }
        }
    }

    private static void append(ComposeTree base, ArrayNode b, String bp, ComposeTree over, ArrayNode o, String op) {
        for (int i = 0; i < o.size(); i++) {
            if (!contains(b, o.get(i))) {
                b.add(o.get(i).deepCopy());
                base.adopt(over, op + "/" + i, bp + "/" + (b.size() - 1));
            }
        }
    }

    private static boolean contains(ArrayNode a, JsonNode n) {
        for (JsonNode x : a) {
            if (x.equals(n)) {
                return true;
            }
        }
        return false;
    }

    private static void byTarget(ComposeTree base, ArrayNode b, String bp, ComposeTree over, ArrayNode o, String op) {
        for (int i = 0; i < o.size(); i++) {
            String target = Mounts.target(o.get(i));
            int at = -1;
            for (int j = 0; j < b.size() && target != null; j++) {
                if (target.equals(Mounts.target(b.get(j)))) {
                    at = j;
                }
            }
            if (at < 0) {
                b.add(o.get(i).deepCopy());
                at = b.size() - 1;
            } else {
                b.set(at, o.get(i).deepCopy());
            }
            base.adopt(over, op + "/" + i, bp + "/" + at);
        }
    }
}
