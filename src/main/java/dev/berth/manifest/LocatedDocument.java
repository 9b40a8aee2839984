package dev.berth.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One YAML document as a Jackson tree, with the source line of every node keyed by JSON
 * pointer ({@code /spec/ports/0/port}), so errors found later can name their line.
 */
public record LocatedDocument(String file, JsonNode root, int line, Map<String, Integer> lines) {

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
