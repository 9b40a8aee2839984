package dev.berth.manifest;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Keeps the files a manifest names inside one directory (the manifests directory, or the
 * secrets directory for secrets). Berth talks to the engine as root, so a manifest that could
 * name {@code /etc/shadow} or Berth's own API token as a config file would hand it to a
 * container. A path is accepted when it is relative, stays inside the directory as written (no
 * {@code ..} out of it) and, once every symbolic link is resolved, still lies inside the
 * directory's own real path. Stateless apart from the directory; checked anew on every load.
 */
final class PathConfinement {
    private final Path root;

    /** @param root the directory paths must stay in; it may itself be (or lie under) a symbolic link */
    PathConfinement(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    /** Why a path was refused, in words for a {@link Problem}. */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason);
        }
    }

    /**
     * Resolves {@code given} against {@code base} (the directory of the manifest file naming it).
     *
     * @return the real path (symbolic links resolved) when the file exists, otherwise the
     *         normalized path as written, so the caller reports "does not exist" in its own words
     * @throws Refused for an absolute path, a {@code ..} that leaves the directory, a symbolic
     *                 link that leads out of it, or a symbolic link loop
     */
    Path resolve(Path base, String given) throws Refused {
        if (given.isEmpty()) {
            throw new Refused("an empty path is not a file");
        }
        if (given.startsWith("/") || Path.of(given).isAbsolute()) {
            throw new Refused("absolute paths are not allowed (" + given + "); name a file inside the manifests "
                    + "directory, relative to the manifest file");
        }
        Path lexical = base.toAbsolutePath().resolve(given).normalize();
        if (!lexical.startsWith(root)) {
            throw new Refused("'" + given + "' leaves the manifests directory; name a file inside it");
        }
        return real(lexical, given);
    }

    /**
     * A plain file name inside the directory ({@code name} must not be a path). Used for secrets,
     * which a manifest names and never locates.
     */
    Path resolveName(String name) throws Refused {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
            throw new Refused("'" + name + "' is not a plain name (no '/', no '..')");
        }
        return real(root.resolve(name), name);
    }

    private Path real(Path lexical, String given) throws Refused {
        Path real;
        try {
            real = FileLooks.realPath(lexical);
        } catch (NoSuchFileException e) {
            return lexical;
        } catch (FileSystemException e) {
            throw new Refused(isLoop(e) ? "'" + given + "' is a symbolic link loop"
                    : "'" + given + "' cannot be resolved (" + e.getClass().getSimpleName() + ")");
        } catch (IOException e) {
            throw new Refused("'" + given + "' cannot be resolved (" + e.getClass().getSimpleName() + ")");
        }
        if (!real.startsWith(realRoot())) {
            throw new Refused("'" + given + "' is a symbolic link (or lies under one) to " + real
                    + ", outside the directory " + root + "; such links are not followed");
        }
        return real;
    }

    /** The root's own real path: the directory may be a link (a release checkout switched by symlink). */
    private Path realRoot() {
        try {
            return FileLooks.realPath(root);
        } catch (IOException e) {
            return root;
        }
    }

    /** ELOOP has no exception type of its own in java.nio. */
    static boolean isLoop(FileSystemException e) {
        return e.getReason() != null && e.getReason().contains("Too many levels of symbolic links");
    }
}
