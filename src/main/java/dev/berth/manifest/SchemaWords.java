package dev.berth.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The schema validator's messages in the words of a manifest's author: "mapping" and "list"
 * rather than "object" and "array", the choices of an enum as a plain list with a guess at the
 * one meant, a pattern described rather than printed as a regular expression, and "did you
 * mean" for an unknown field ({@link FieldHint}).
 */
final class SchemaWords {
    /** Found anywhere: for some keys (with ':' in them) the validator puts a piece of the key in front. */
    private static final Pattern TYPE = Pattern.compile("\\b(\\w+) found, \\[?([\\w, ]+?)\\]? expected$");
    private static final Pattern CHOICES = Pattern.compile("\\[(.*)\\]");
    private static final Map<String, String> NOUNS = Map.of(
            "object", "a mapping (key: value)",
            "array", "a list",
            "string", "text",
            "integer", "a whole number",
            "number", "a number",
            "boolean", "true or false",
            "null", "empty");

    private SchemaWords() {}

    static String unknownField(String schemaPointer, String name) {
        String hint = FieldHint.suggest(schemaPointer, name);
        return "unknown field '" + name + "'" + (hint == null ? "" : "; did you mean '" + hint + "'?");
    }

    /** {@code integer found, string expected} → {@code must be text, not a whole number}. */
    static String type(String schemaPointer, String error) {
        Matcher m = TYPE.matcher(error);
        if (!m.find()) {
            return error;
        }
        List<String> wanted = new ArrayList<>();
        for (String t : m.group(2).split(",\\s*")) {
            wanted.add(NOUNS.getOrDefault(t, t));
        }
        if (wanted.size() > 1) {
            wanted.remove(NOUNS.get("null")); // "may be left empty" is no help to someone who wrote a value
        }
        String what = schemaPointer.startsWith("/$defs/duration/") ? "a duration such as 10s, 1m30s or 500ms"
                : String.join(" or ", wanted);
        // A whole number is reported as "integer", so a "number" found is a fraction.
        String found = m.group(1).equals("number") ? "a fraction" : NOUNS.getOrDefault(m.group(1), m.group(1));
        return "must be " + what + ", not " + found;
    }

    /** {@code does not have a value in the enumeration ["a", "b"]} → {@code must be one of a, b}, with a guess. */
    static String enumeration(String error, JsonNode actual) {
        Matcher m = CHOICES.matcher(error);
        if (!m.find()) {
            return error;
        }
        List<String> choices = new ArrayList<>();
        for (String c : m.group(1).split(",\\s*")) {
            choices.add(c.replace("\"", ""));
        }
        String hint = actual.isValueNode() ? FieldHint.suggest(choices, actual.asText()) : null;
        return "must be one of " + String.join(", ", choices) + (hint == null ? "" : "; did you mean '" + hint + "'?");
    }

    static String pattern(String pointer, String schemaPointer, String fallback) {
        if (schemaPointer.startsWith("/$defs/duration/")) {
            return "must be a duration such as 10s, 1m30s or 500ms";
        }
        if (pointer.endsWith("/maxSurge") || pointer.endsWith("/maxUnavailable")) {
            return "must be a count or a percentage such as 25%";
        }
        if (pointer.matches("/spec/secrets/[0-9]+/name")) {
            return "must be a file name in the secrets directory: letters, digits, '.', '_' and '-', not starting with '.'";
        }
        if (pointer.matches("/spec/placement/constraints/[0-9]+")) {
            return "must be a Swarm constraint such as node.role==manager or node.labels.zone!=east";
        }
        if (pointer.matches("/spec/placement/preferences/[0-9]+/spread")) {
            return "must be a node label such as node.labels.zone";
        }
        if (pointer.endsWith("/path")) {
            return "must be a path starting with /";
        }
        if (pointer.endsWith("/name") || pointer.contains("/networks/") || pointer.contains("/dependsOn/")) {
            return "must be a DNS label: lower-case letters, digits and '-', starting and ending with a letter or digit";
        }
        if (pointer.endsWith("/target")) {
            return "must be an absolute path in the container";
        }
        if (pointer.equals("/spec/image")) {
            return "not an image reference: write [registry[:port]/]repository[:tag][@sha256:digest], the "
                    + "repository in lower case, e.g. localhost:5000/shop/web:1.4.2";
        }
        if (pointer.endsWith("/stopSignal")) {
            return "must be a signal name such as SIGTERM, SIGQUIT or SIGINT";
        }
        if (pointer.endsWith("stopGracePeriod")) {
            return "must be a duration such as 10s, 1m30s or 500ms";
        }
        return fallback;
    }

}
