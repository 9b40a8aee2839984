package dev.berth.manifest.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.manifest.LocatedDocument;
import dev.berth.manifest.Origin;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A Compose tree (one file, or several merged) with the origin of every value by JSON pointer.
 * Mutable while it is read and merged and while the schema marks what it refused, then only
 * read by the translation, which skips every refused value: one problem per key, the schema's.
 */
final class ComposeTree {
    final ObjectNode root;
    final TreeMap<String, Origin> origins;
    /** Pointers of the values the Compose schema refused (it has said why): the translation skips them. */
    private final Set<String> refused = new HashSet<>();

    ComposeTree(ObjectNode root, TreeMap<String, Origin> origins) {
        this.root = root;
        this.origins = origins;
    }

    /** Every value of {@code doc} remembers its own file, line and field as written there. */
    static ComposeTree of(LocatedDocument doc) {
        TreeMap<String, Origin> o = new TreeMap<>();
        record(doc, doc.root(), "", o);
        return new ComposeTree((ObjectNode) doc.root(), o);
    }

    private static void record(LocatedDocument doc, JsonNode n, String ptr, Map<String, Origin> o) {
        o.put(ptr, new Origin(doc.file(), doc.lineOf(ptr), LocatedDocument.fieldOf(ptr)));
        if (n.isObject()) {
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                record(doc, n.get(k), LocatedDocument.child(ptr, k), o);
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                record(doc, n.get(i), ptr + "/" + i, o);
            }
        }
    }

    void refuse(String ptr) {
        refused.add(ptr);
    }

    /** True when the schema refused the value at {@code ptr}, or one it is inside. */
    boolean refused(String ptr) {
        for (String p = ptr; ; p = p.substring(0, p.lastIndexOf('/'))) {
            if (refused.contains(p)) {
                return true;
            }
            if (p.isEmpty()) {
                return false;
            }
        }
    }

    /** True when the schema refused {@code key} of the mapping at {@code ptr}, or the mapping. */
    boolean refused(String ptr, String key) {
        return refused(LocatedDocument.child(ptr, key));
    }

    Origin origin(String ptr) {
        String p = ptr;
        Origin o;
        while ((o = origins.get(p)) == null && p.lastIndexOf('/') >= 0) {
            p = p.substring(0, p.lastIndexOf('/'));
        }
        return o;
    }

    /** Forgets the origins at and under {@code ptr} (its value is being replaced). */
    void forget(String ptr) {
        origins.remove(ptr);
        origins.subMap(ptr + "/", ptr + "/\uffff").clear();
    }

    /** The origins of {@code from}'s subtree at {@code fromPtr}, now found at {@code toPtr} here. */
    void adopt(ComposeTree from, String fromPtr, String toPtr) {
        forget(toPtr);
        Origin self = from.origins.get(fromPtr);
        if (self != null) {
            origins.put(toPtr, self);
        }
        from.origins.subMap(fromPtr + "/", fromPtr + "/\uffff")
                .forEach((k, v) -> origins.put(toPtr + k.substring(fromPtr.length()), v));
    }

    /**
     * A problem with the value at {@code ptr}, charged to {@code file} (the project's main file)
     * and named as written; a value from the override names that file and line in the reason.
     */
    dev.berth.manifest.Problem problem(String file, String ptr, String message) {
        String p = ptr;
        Origin o;
        while ((o = origins.get(p)) == null && p.lastIndexOf('/') >= 0) {
            p = p.substring(0, p.lastIndexOf('/'));
        }
        if (o == null) {
            return new dev.berth.manifest.Problem(file, 0, LocatedDocument.fieldOf(ptr), message);
        }
        String rest = LocatedDocument.fieldOf(ptr.substring(p.length()));
        String field = rest.isEmpty() ? o.field() : rest.startsWith("[") ? o.field() + rest : o.field() + "." + rest;
        return o.file().equals(file) ? new dev.berth.manifest.Problem(file, o.line(), field, message)
                : new dev.berth.manifest.Problem(file, 0, field, message + " (" + o.file() + ":" + o.line() + ")");
    }
}
