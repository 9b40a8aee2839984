package dev.berth.manifest;

import java.util.List;

/** The declarations of one manifest file, in document order. */
public record ManifestFile(String file, List<Declaration> declarations) {
    public ManifestFile {
        declarations = List.copyOf(declarations);
    }
}
