package dev.berth.manifest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads the manifests directory as {@link ManifestLoader#load} does, with one file replaced by
 * given bytes or removed, and reports what that change would cause. Writes nothing and keeps no
 * state (the parser and the directory walk are the loader's own), so it is safe from any thread
 * while the loader runs. Files that have problems of their own are left out of the assembly, as
 * the loader leaves them out (it holds them or falls back to their last good version).
 */
final class ManifestTrial {
    private final Path dir;
    private final ManifestParser parser;
    private final ReservedPorts reserved;

    ManifestTrial(Path dir, ManifestParser parser, ReservedPorts reserved) {
        this.dir = dir;
        this.parser = parser;
        this.reserved = reserved;
    }

    /**
     * @param file    path relative to the manifests directory, already checked to stay inside it
     * @param content the file's new bytes, or null for a removal
     * @throws IOException when the directory itself cannot be read
     */
    Trial run(String file, byte[] content) throws IOException {
        ManifestTree tree;
        try {
            tree = ManifestTree.scan(dir);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Map<String, ManifestFile> others = new TreeMap<>();
        Set<String> broken = new TreeSet<>();
        ManifestFile before = null;
        for (Path p : tree.manifests()) {
            String rel = dir.relativize(p).toString();
            ManifestFile parsed = parseQuietly(rel, p);
            if (rel.equals(file)) {
                before = parsed;
            } else if (parsed == null) {
                broken.add(rel);
            } else {
                others.put(rel, parsed);
            }
        }
        tree.problems().forEach(p -> broken.add(p.file()));

        List<Problem> problems = new ArrayList<>();
        ManifestFile after = null;
        if (content != null) {
            try {
                after = parser.parse(file, dir.resolve(file), ManifestText.decode(file, content));
            } catch (ManifestException e) {
                problems.addAll(e.problems());
            }
        }
        Map<String, ManifestFile> was = new TreeMap<>(others);
        if (before != null) {
            was.put(file, before);
        }
        Map<String, ManifestFile> will = new TreeMap<>(others);
        if (after != null) {
            will.put(file, after);
        }
        Set<String> old = new HashSet<>();
        Assembler.crossCheck(was, reserved).values().forEach(l -> l.forEach(p -> old.add(p.toString())));
        for (Map.Entry<String, List<Problem>> e : Assembler.crossCheck(will, reserved).entrySet()) {
            for (Problem p : e.getValue()) {
                if (e.getKey().equals(file) || !old.contains(p.toString())) {
                    problems.add(p);
                }
            }
        }
        if (!problems.isEmpty()) {
            return new Trial(null, problems, Assembler.build(was, broken));
        }
        return new Trial(after, List.of(), Assembler.build(will, broken));
    }

    /** A file as the loader would read it, or null when it has problems (they are not this change's). */
    private ManifestFile parseQuietly(String rel, Path p) {
        try {
            return parser.parse(rel, p, ManifestText.read(rel, p));
        } catch (ManifestException | IOException | UncheckedIOException e) {
            return null;
        }
    }
}
