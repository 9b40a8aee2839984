package dev.berth.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One YAML document as a Jackson tree, with the source line of every node keyed by JSON
 * pointer ({@code /spec/ports/0/port}), so errors found later can name their line.
 *
 * <p>A document translated from a Compose file has {@code origins} (null otherwise): by pointer
 * in this tree, what the user wrote there. {@link #problem} then names the Compose key and its
 * line; a value that came from another file (an override) is charged to {@code file} all the
 * same, with the other file's name and line in the reason, so the loader holds or falls back
 * the one file that declared it.
 */
public record LocatedDocument(String file, JsonNode root, int line, Map<String, Integer> lines,
        Map<String, Origin> origins) {

    public LocatedDocument(String file, JsonNode root, int line, Map<String, Integer> lines) {
        this(file, root, line, lines, null);
    }

    /** A problem with the value at {@code pointer}, named as the user wrote it. */
    public Problem problem(String pointer, String message) {
        if (origins == null) {
            return new Problem(file, lineOf(pointer), fieldOf(pointer), message);
        }
        String p = pointer;
        Origin o;
        while ((o = origins.get(p)) == null && p.lastIndexOf('/') >= 0) {
            p = p.substring(0, p.lastIndexOf('/'));
        }
        if (o == null) {
            return new Problem(file, line, fieldOf(pointer), message);
        }
        String rest = fieldOf(pointer.substring(p.length()));
        String field = rest.isEmpty() ? o.field() : rest.startsWith("[") ? o.field() + rest : o.field() + "." + rest;
        if (o.file().equals(file)) {
            return new Problem(file, o.line(), field, message);
        }
        return new Problem(file, 0, field, message + " (" + o.file() + ":" + o.line() + ")");
    }

    /** Line of the node at {@code pointer}, or of its nearest ancestor that has one. */
    public int lineOf(String pointer) {
        String p = pointer;
        while (true) {
            Integer l = lines.get(p);
            if (l != null) {
                return l;
            }
            int cut = p.lastIndexOf('/');
            if (cut < 0) {
                return line;
            }
            p = p.substring(0, cut);
        }
    }

    /** {@code /spec/ports/0/port} → {@code spec.ports[0].port}: the way people write it. */
    public static String fieldOf(String pointer) {
        StringBuilder b = new StringBuilder();
        for (String part : pointer.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            String name = part.replace("~1", "/").replace("~0", "~");
            if (name.chars().allMatch(Character::isDigit)) {
                b.append('[').append(name).append(']');
            } else {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(name);
            }
        }
        return b.toString();
    }

    public static String child(String pointer, String name) {
        return pointer + "/" + name.replace("~", "~0").replace("/", "~1");
    }
}
