package dev.berth.manifest.compose;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The shape each service key must have (after {@link ComposeNormal}), as the Compose
 * Specification gives it, so a wrong shape is a problem rather than a key that quietly does
 * nothing. What a value means is checked later, by Berth's schema and binder.
 */
final class Shapes {
    private Shapes() {}

    enum Shape {
        LIST("a list"), MAPPING("a mapping"), STRING_OR_LIST("a string or a list"), SCALAR("a single value");

        final String words;

        Shape(String words) {
            this.words = words;
        }

        boolean fits(JsonNode v) {
            return switch (this) {
                case LIST -> v.isArray();
                case MAPPING -> v.isObject();
                case STRING_OR_LIST -> v.isTextual() || v.isArray();
                case SCALAR -> v.isValueNode();
            };
        }
    }

    static final Map<String, Shape> SERVICE = Map.ofEntries(
            Map.entry("image", Shape.SCALAR), Map.entry("command", Shape.STRING_OR_LIST),
            Map.entry("entrypoint", Shape.STRING_OR_LIST), Map.entry("environment", Shape.MAPPING),
            Map.entry("env_file", Shape.STRING_OR_LIST), Map.entry("ports", Shape.LIST), Map.entry("volumes", Shape.LIST),
            Map.entry("networks", Shape.MAPPING), Map.entry("healthcheck", Shape.MAPPING),
            Map.entry("depends_on", Shape.MAPPING), Map.entry("deploy", Shape.MAPPING), Map.entry("restart", Shape.SCALAR),
            Map.entry("labels", Shape.MAPPING), Map.entry("user", Shape.SCALAR), Map.entry("working_dir", Shape.SCALAR),
            Map.entry("stop_grace_period", Shape.SCALAR), Map.entry("stop_signal", Shape.SCALAR), Map.entry("init", Shape.SCALAR),
            Map.entry("pull_policy", Shape.SCALAR), Map.entry("expose", Shape.LIST),
            Map.entry("secrets", Shape.LIST), Map.entry("configs", Shape.LIST), Map.entry("x-berth", Shape.MAPPING));

    /** Null when {@code v} fits, else the reason; a list-or-mapping key says so ({@code environment}: either). */
    static String misfit(String key, JsonNode v) {
        Shape s = SERVICE.get(key);
        if (s == null || v.isNull() || s.fits(v)) {
            return null;
        }
        boolean either = key.equals("environment") || key.equals("labels") || key.equals("depends_on") || key.equals("networks");
        return "must be " + (either ? "a mapping or a list" : s.words);
    }

    /** For nested mappings ({@code deploy.update_config}, a top-level volume): null when it fits. */
    static String notMapping(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode() || v.isObject() ? null : "must be a mapping";
    }
}
