package dev.berth.manifest;

/**
 * Places a problem found after loading (a check of the validated state, such as the Swarm
 * backend's) where the user wrote it: file, line and field, a Compose key for a Compose file.
 */
@FunctionalInterface
public interface Locator {
    /**
     * @param file    the manifest file (relative, as {@link Problem#file()})
     * @param kind    {@code Service}, {@code Network} or {@code Volume}
     * @param pointer the field in the Berth document, as a JSON pointer ({@code /spec/volumes/0})
     */
    Problem at(String file, String kind, String name, String pointer, String message);

    /** Without the documents: line 0 and the Berth field. */
    Locator NONE = (file, kind, name, pointer, message) -> new Problem(file, 0, LocatedDocument.fieldOf(pointer), message);
}
