package dev.berth.api;

import dev.berth.files.AtomicFiles;
import dev.berth.manifest.ManifestHash;
import dev.berth.manifest.ManifestTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The part of the manifests directory that the API reads and writes: the directory itself, or
 * its subdirectory {@code berth.api.manifests.subdir}. A file is reached only where its real
 * location (every symbolic link resolved) lies inside this part's real location, itself inside
 * the manifests directory's (docs/design/security.md: Berth runs as root next to the engine, so
 * a push must not be able to write through a link to {@code /etc}); a path that is itself a link
 * is refused, as a write would replace the link rather than the file it names. Writes are atomic
 * ({@link AtomicFiles}); {@link #writes()} is the one lock every write and its check take, so two
 * conditional writes cannot both pass their check against the same old version.
 */
public final class ManifestArea {
    /** Manifests the API writes are readable by Berth's user and group only: env values may be sensitive. */
    static final String MODE = "rw-r-----";

    private final Path manifestsDir;
    private final String subdir;
    private final ReentrantLock writes = new ReentrantLock();

    /** @param subdir checked by {@link ManifestPath#subdir}; empty: the manifests directory itself */
    public ManifestArea(Path manifestsDir, String subdir) {
        this.manifestsDir = manifestsDir.toAbsolutePath().normalize();
        this.subdir = subdir;
    }

    /** The API's path as the loader names the file (relative to the manifests directory), e.g. in a spec's source. */
    public String source(ManifestPath p) {
        return subdir.isEmpty() ? p.value() : subdir + "/" + p.value();
    }

    public ReentrantLock writes() {
        return writes;
    }

    /** One file as the list shows it. */
    public record Entry(String path, String hash, long size) {}

    /** The manifests the loader reads in this part, by the loader's own walk, sorted by path. */
    public List<Entry> list() throws IOException {
        List<Entry> out = new ArrayList<>();
        String prefix = subdir.isEmpty() ? "" : subdir + "/";
        for (Path p : ManifestTree.scan(manifestsDir).manifests()) {
            String rel = manifestsDir.relativize(p).toString();
            if (!rel.startsWith(prefix)) {
                continue;
            }
            try {
                out.add(new Entry(rel.substring(prefix.length()), ManifestHash.ofFile(p), Files.size(p)));
            } catch (java.nio.file.NoSuchFileException gone) {
                // removed while listing
            }
        }
        out.sort(java.util.Comparator.comparing(Entry::path));
        return out;
    }

    /** The file's bytes, or empty when there is none. */
    public Optional<byte[]> read(ManifestPath p) throws ManifestPath.Invalid, IOException {
        Path f = locate(p);
        try {
            return Optional.of(Files.readAllBytes(f));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Replaces or creates the file atomically, with its directories. Call with {@link #writes()} held. */
    public void write(ManifestPath p, byte[] content) throws ManifestPath.Invalid, IOException {
        AtomicFiles.write(locate(p), content, MODE);
    }

    /** @return false when there was no such file. Call with {@link #writes()} held. */
    public boolean delete(ManifestPath p) throws ManifestPath.Invalid, IOException {
        return AtomicFiles.delete(locate(p));
    }

    /**
     * Where {@code p} is, checked to stay inside this part after links are resolved.
     *
     * @throws ManifestPath.Invalid the path is a link or a directory, or it (or a directory on
     *                              the way) leads outside, or cannot be resolved
     */
    Path locate(ManifestPath p) throws ManifestPath.Invalid {
        Path root = subdir.isEmpty() ? manifestsDir : manifestsDir.resolve(subdir);
        Path target = root.resolve(p.value()).normalize();
        if (!target.startsWith(root)) {
            throw new ManifestPath.Invalid("'" + p + "' leaves the manifests directory");
        }
        if (Files.isSymbolicLink(target)) {
            throw new ManifestPath.Invalid("'" + p + "' is a symbolic link; the API reads and writes files only, "
                    + "not through links");
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new ManifestPath.Invalid("'" + p + "' is a directory");
        }
        Path realDir = real(manifestsDir, "the manifests directory");
        Path confine = Files.exists(root) ? real(root, "berth.api.manifests.subdir") : realDir.resolve(subdir);
        if (!confine.startsWith(realDir)) {
            throw new ManifestPath.Invalid("berth.api.manifests.subdir '" + subdir + "' leads outside the manifests "
                    + "directory (to " + confine + "); the API writes nowhere else");
        }
        Path existing = target;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        Path real = existing == null ? null : real(existing, "'" + p + "'");
        // The API's subdirectory does not exist yet: what exists of the way must lie in the manifests directory.
        Path bound = existing != null && root.startsWith(existing) && !existing.equals(root) ? realDir : confine;
        if (real == null || !real.startsWith(bound)) {
            throw new ManifestPath.Invalid("'" + p + "' lies under a symbolic link to " + real + ", outside "
                    + (subdir.isEmpty() ? "the manifests directory" : "the API's subdirectory " + subdir)
                    + "; such links are not followed");
        }
        return target;
    }

    private static Path real(Path p, String what) throws ManifestPath.Invalid {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw new ManifestPath.Invalid(what + " cannot be resolved (" + e.getClass().getSimpleName() + ")");
        }
    }
}
