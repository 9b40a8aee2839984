package dev.berth.api;

import java.util.List;

/**
 * A manifest's path as an API client names it: relative to the API's part of the manifests
 * directory ({@code berth.api.manifests.subdir}, or the directory itself). Only names the loader
 * reads are accepted, so what is pushed is what is loaded: relative, {@code /}-separated, no
 * empty, {@code .} or {@code ..} segment, no hidden segment ({@code .git}, {@code .env}) and no
 * editor leftover ({@code #x#}, {@code x~}) the loader skips, ending in {@code .yaml} or
 * {@code .yml}. Lexical only; where links lead is {@link ManifestArea}'s check.
 */
public record ManifestPath(String value) {
    static final int MAX_LENGTH = 255;

    /** Why a path was refused, in words for a 400 answer. */
    public static final class Invalid extends Exception {
        Invalid(String reason) {
            super(reason);
        }
    }

    public static ManifestPath parse(String raw) throws Invalid {
        List<String> segments = segments(raw, "manifest path");
        String last = segments.get(segments.size() - 1);
        if (!(last.endsWith(".yaml") || last.endsWith(".yml"))) {
            throw new Invalid("'" + shown(raw) + "' is not a manifest file name: it must end in .yaml or .yml");
        }
        return new ManifestPath(raw);
    }

    /** Checks {@code berth.api.manifests.subdir} by the same rules (a directory, so any name); empty is the directory itself. */
    static String subdir(String raw) throws Invalid {
        if (raw == null || raw.isBlank()) {
            return "";
        }
        String s = raw.strip();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        segments(s, "berth.api.manifests.subdir");
        return s;
    }

    private static List<String> segments(String raw, String what) throws Invalid {
        if (raw == null || raw.isEmpty()) {
            throw new Invalid("a " + what + " is required");
        }
        if (raw.length() > MAX_LENGTH) {
            throw new Invalid("the " + what + " is " + raw.length() + " characters long; at most " + MAX_LENGTH);
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new Invalid("the " + what + " contains a control character");
            }
            if (c == '\\') {
                throw new Invalid("the " + what + " '" + shown(raw) + "' contains '\\'; separate directories with '/'");
            }
        }
        if (raw.startsWith("/")) {
            throw new Invalid("the " + what + " '" + shown(raw) + "' is absolute; name it relative to the manifests directory");
        }
        List<String> segments = List.of(raw.split("/", -1));
        for (String seg : segments) {
            if (seg.isEmpty()) {
                throw new Invalid("the " + what + " '" + shown(raw) + "' has an empty segment ('//' or a trailing '/')");
            }
            if (seg.equals(".") || seg.equals("..")) {
                throw new Invalid("the " + what + " '" + shown(raw) + "' contains '" + seg + "'; name the file directly");
            }
            if (seg.startsWith(".")) {
                throw new Invalid("the " + what + " '" + shown(raw) + "' has a hidden segment '" + seg
                        + "'; Berth does not read hidden files or directories");
            }
            if (!dev.berth.manifest.ManifestTree.isVisible(seg)) {
                throw new Invalid("the " + what + " '" + shown(raw) + "' has a segment '" + seg
                        + "' that Berth skips as an editor's leftover");
            }
        }
        return segments;
    }

    private static String shown(String raw) {
        return WebErrorMapper.clip(raw);
    }

    @Override
    public String toString() {
        return value;
    }
}
