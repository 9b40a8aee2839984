package dev.berth.api;

import java.util.ArrayList;
import java.util.List;

/**
 * The conditional headers of a write to a manifest (RFC 9110 §13): {@code If-Match} with the
 * file's hash (or {@code *}: the file must exist) and {@code If-None-Match: *} (it must not). A
 * deployer that read version X writes with {@code If-Match: "X"} and gets 412 when someone else
 * wrote meanwhile, instead of overwriting their change. Tags are compared strongly; quotes are
 * optional, so {@code If-Match: sha256:…} works as well. Pure.
 */
public final class Preconditions {
    private Preconditions() {}

    /**
     * @param current the file's hash now, or null when there is no such file
     * @return why the write must not happen (answer 412), or null when it may
     */
    public static String refusal(String ifMatch, String ifNoneMatch, String current) {
        if (ifMatch != null && !ifMatch.isBlank()) {
            List<String> tags = tags(ifMatch);
            if (current == null) {
                return "If-Match: the file does not exist";
            }
            if (!tags.contains("*") && !tags.contains(current)) {
                return "If-Match: the file changed; its hash is now " + current + " (read it again, then write)";
            }
        }
        if (ifNoneMatch != null && !ifNoneMatch.isBlank() && current != null) {
            List<String> tags = tags(ifNoneMatch);
            if (tags.contains("*")) {
                return "If-None-Match: * but the file exists (hash " + current + ")";
            }
            if (tags.contains(current)) {
                return "If-None-Match: the file still has hash " + current;
            }
        }
        return null;
    }

    /** The entity tags of a header, unquoted; a weak tag ({@code W/"…"}) never matches strongly, so it is dropped. */
    static List<String> tags(String header) {
        List<String> out = new ArrayList<>();
        for (String part : header.split(",")) {
            String t = part.strip();
            if (t.startsWith("W/")) {
                continue;
            }
            if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
                t = t.substring(1, t.length() - 1);
            }
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    /** The {@code ETag} header value for a hash. */
    public static String etag(String hash) {
        return "\"" + hash + "\"";
    }
}
