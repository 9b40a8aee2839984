package dev.berth.manifest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The loader's checks for a command line, away from the daemon: the same walk, parser, schema
 * and cross-file checks, no engine, no CDI. What it cannot know here (Berth's own listening
 * ports, the operator's allowed host paths) the daemon checks again when the files arrive.
 */
public final class LocalCheck {
    private LocalCheck() {}

    /** The manifest files of a directory, as the daemon's walk finds them, sorted by path. */
    public static List<Path> manifestFiles(Path dir) throws IOException {
        try {
            return ManifestTree.scan(dir).manifests();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Every problem of a manifests directory, files relative to it; the refusal of an unreadable one too. */
    public static List<Problem> directory(Path dir, Path secretsDir) {
        LoadResult r = new ManifestLoader(dir, secretsDir).load();
        List<Problem> all = new ArrayList<>(r.problems());
        if (r.refusal() != null && all.isEmpty()) {
            all.add(new Problem(dir.toString(), 0, "", r.refusal()));
        }
        return all;
    }

    /**
     * The problems of one file read alone (cross-file checks need the directory: the daemon makes
     * them), reported under its file name; relative paths inside it resolve beside it.
     */
    public static List<Problem> file(Path file, Path secretsDir) {
        String name = file.getFileName().toString();
        Path dir = file.toAbsolutePath().getParent();
        try {
            new ManifestParser(secretsDir, dir, HostAccessPolicy.defaults(secretsDir))
                    .parse(name, file, ManifestText.read(name, file));
            return List.of();
        } catch (ManifestException e) {
            return e.problems();
        } catch (IOException | UncheckedIOException e) {
            IOException cause = e instanceof IOException io ? io : ((UncheckedIOException) e).getCause();
            return List.of(new Problem(name, 0, "", "cannot read file: " + IoWords.of(cause)));
        }
    }
}
