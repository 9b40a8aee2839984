package dev.berth.manifest;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One walk of the manifests directory that stays inside it. Symbolic links are followed only
 * while they lead to a place inside the directory's real path; a link that leaves it, loops, or
 * leads back to a directory being walked is not followed and becomes a {@link Problem} for that
 * entry (charged to the entry's name, so only what it declared is held), never a refusal of
 * the whole directory. Dotfiles, dot-directories (.git) and editor leftovers are skipped, as is
 * anything that cannot be read. Immutable result of one {@link #scan}.
 *
 * @param manifests the {@code *.yaml}/{@code *.yml} files to read, sorted by path
 * @param problems  entries that were not followed, with the reason
 * @param newest    the latest modification time of a visible file or directory, or null
 */
public record ManifestTree(List<Path> manifests, List<Problem> problems, Instant newest) {

    /**
     * @throws IOException when the directory itself cannot be listed (missing, not a directory, no
     *                     permission): the caller refuses the whole load
     */
    public static ManifestTree scan(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("not a directory");
        }
        if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
            throw new IOException("permission denied");
        }
        Walk w = new Walk(dir, dir.toRealPath());
        w.directory(dir, w.realRoot, new HashSet<>());
        w.manifests.sort(null);
        w.problems.sort(java.util.Comparator.comparing(Problem::file));
        return new ManifestTree(List.copyOf(w.manifests), List.copyOf(w.problems), w.newest);
    }

    /** YAML files, skipping dotfiles, dot-directories (.git) and editor leftovers. */
    public static boolean isManifestName(String name) {
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    public static boolean isVisible(String name) {
        return !(name.startsWith(".") || name.startsWith("#") || name.endsWith("~"));
    }

    private static final class Walk {
        final Path dir;
        final Path realRoot;
        final List<Path> manifests = new ArrayList<>();
        final List<Problem> problems = new ArrayList<>();
        Instant newest;

        Walk(Path dir, Path realRoot) {
            this.dir = dir;
            this.realRoot = realRoot;
        }

        /**
         * @param walking real paths of the directories from the root down to this one (loop check)
         * @throws IOException when the directory cannot be listed
         */
        void directory(Path d, Path real, Set<Path> walking) throws IOException {
            List<Path> entries = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
                s.forEach(entries::add);
            } catch (java.nio.file.DirectoryIteratorException e) {
                throw e.getCause();
            }
            walking.add(real);
            note(d);
            for (Path e : entries) {
                if (isVisible(e.getFileName().toString())) {
                    entry(e, walking);
                }
            }
            walking.remove(real);
        }

        private void entry(Path e, Set<Path> walking) {
            String name = e.getFileName().toString();
            if (!Files.isSymbolicLink(e)) {
                if (Files.isDirectory(e, LinkOption.NOFOLLOW_LINKS)) {
                    subdirectory(e, walking);
                } else if (Files.isRegularFile(e, LinkOption.NOFOLLOW_LINKS)) {
                    note(e);
                    if (isManifestName(name)) {
                        manifests.add(e);
                    }
                }
                return;
            }
            Path target;
            try {
                target = e.toRealPath();
            } catch (NoSuchFileException ex) {
                if (isManifestName(name)) {
                    problem(e, "is a symbolic link to nothing (" + linkText(e) + "); not read");
                }
                return;
            } catch (FileSystemException ex) {
                problem(e, PathConfinement.isLoop(ex) ? "is a symbolic link loop; not followed"
                        : "is a symbolic link that cannot be resolved (" + ex.getClass().getSimpleName() + "); not followed");
                return;
            } catch (IOException ex) {
                return;
            }
            boolean isDir = Files.isDirectory(target);
            if (!target.startsWith(realRoot)) {
                if (isDir || isManifestName(name)) {
                    problem(e, "is a symbolic link to " + target + ", outside the manifests directory; not followed");
                }
                return;
            }
            if (isDir) {
                if (walking.contains(target)) {
                    problem(e, "is a symbolic link loop (it leads back to " + target + "); not followed");
                } else {
                    subdirectory(e, walking);
                }
            } else if (Files.isRegularFile(target)) {
                note(e);
                if (isManifestName(name)) {
                    manifests.add(e);
                }
            }
        }

        /**
         * A subdirectory that cannot be listed is a problem of its own, so what it declared is
         * held rather than removed (the whole directory would have been refused before).
         */
        private void subdirectory(Path e, Set<Path> walking) {
            try {
                directory(e, e.toRealPath(), walking);
            } catch (NoSuchFileException gone) {
                // removed meanwhile: nothing under it is declared any more
            } catch (IOException ex) {
                problem(e, "cannot be read (" + ex.getClass().getSimpleName() + "); what it declared is left as it runs");
            }
        }

        private void problem(Path e, String reason) {
            problems.add(new Problem(dir.relativize(e).toString(), 0, "", reason));
        }

        private static String linkText(Path e) {
            try {
                return "→ " + Files.readSymbolicLink(e);
            } catch (IOException ex) {
                return "unreadable";
            }
        }

        private void note(Path p) {
            try {
                Instant m = Files.readAttributes(p, BasicFileAttributes.class).lastModifiedTime().toInstant();
                if (newest == null || m.isAfter(newest)) {
                    newest = m;
                }
            } catch (IOException e) {
                // gone meanwhile
            }
        }
    }
}
