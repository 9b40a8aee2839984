package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** Problems as the daemon reports them, in the loader's {@code file:line: field: reason} form. */
final class Problems {
    private Problems() {}

    static String line(JsonNode p) {
        return line(Json.text(p, "file"), p.path("line").asInt(0), Json.text(p, "field"), Json.text(p, "message"));
    }

    static String line(String file, int line, String field, String message) {
        StringBuilder b = new StringBuilder(file == null ? "" : file);
        if (line > 0) {
            b.append(':').append(line);
        }
        if (field != null && !field.isEmpty()) {
            b.append(": ").append(field);
        }
        return b.append(": ").append(message).toString();
    }
}
