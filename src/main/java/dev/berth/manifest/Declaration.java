package dev.berth.manifest;

/** One validated document: its spec record and where it came from, for cross-file errors. */
public record Declaration(Object spec, LocatedDocument doc) {

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
