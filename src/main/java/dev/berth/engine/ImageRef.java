package dev.berth.engine;

/**
 * An image reference split the way the engine's pull API wants it: {@code repository} (with
 * registry host) and either a {@code tag} (default {@code latest}) or a {@code digest}.
 */
public record ImageRef(String repository, String tag, String digest) {

    public static ImageRef parse(String ref) {
        String digest = null;
        int at = ref.indexOf('@');
        String rest = ref;
        if (at >= 0) {
            digest = ref.substring(at + 1);
            rest = ref.substring(0, at);
        }
        int slash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        String tag = null;
        if (colon > slash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageRef(rest, tag, digest);
    }
}
