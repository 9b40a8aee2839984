package dev.berth.manifest.compose;

import com.fasterxml.jackson.databind.JsonNode;

/** Compose's short volume syntax {@code [SOURCE:]TARGET[:MODE]} and the container path of either syntax. */
final class Mounts {
    private Mounts() {}

    /** @param source null for an anonymous volume; @param mode null when not given */
    record Short(String source, String target, String mode) {
        /** A host path, as Compose tells it: it starts with '/', '.' or '~'. */
        boolean isBind() {
            return source != null && (source.startsWith("/") || source.startsWith(".") || source.startsWith("~"));
        }
    }

    static Short parse(String s) {
        String[] parts = s.split(":", -1);
        return switch (parts.length) {
            case 1 -> new Short(null, parts[0], null);
            case 2 -> new Short(parts[0], parts[1], null);
            case 3 -> new Short(parts[0], parts[1], parts[2]);
            default -> null;
        };
    }

    /** The container path of a volume item in either syntax, or null when it has none. */
    static String target(JsonNode item) {
        if (item.isTextual()) {
            Short s = parse(item.asText());
            return s == null ? null : s.target();
        }
        return item.path("target").isTextual() ? item.path("target").asText() : null;
    }
}
