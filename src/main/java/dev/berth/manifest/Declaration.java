package dev.berth.manifest;

/**
 * One validated document: its spec record, where it came from (for cross-file errors) and its
 * {@link ManifestHash} (computed once, at parse time: status shows it on every pass).
 */
public record Declaration(Object spec, LocatedDocument doc, String hash) {

    public Declaration(Object spec, LocatedDocument doc) {
        this(spec, doc, ManifestHash.ofDocument(doc.root()));
    }

    public String kind() {
        return doc.root().path("kind").asText();
    }

    public String name() {
        return doc.root().path("metadata").path("name").asText();
    }

    /** A problem at {@code pointer} inside this document. */
    public Problem problem(String pointer, String message) {
        return doc.problem(pointer, message);
    }
}
