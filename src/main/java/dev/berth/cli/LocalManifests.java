package dev.berth.cli;

import dev.berth.manifest.LocalCheck;
import dev.berth.manifest.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Manifest files on the user's machine: which ones {@code -f} names, and the daemon's own
 * loader checks on them before anything is sent. A secret's file lives on the daemon's host;
 * when the secrets directory does not exist here, secrets are not checked (the daemon checks
 * them) and {@link #secretsNote} says so.
 */
final class LocalManifests {
    static final String DEFAULT_SECRETS_DIR = "/etc/berth/secrets";

    private LocalManifests() {}

    /** One file to push: where it is here, and its path under the manifests directory. */
    record Source(Path file, String relative) {}

    /** A file stands for itself (its name); a directory for its manifest files, relative to it. */
    static List<Source> sources(List<Path> given) {
        Map<String, Source> byRelative = new LinkedHashMap<>();
        for (Path g : given) {
            List<Source> found = new ArrayList<>();
            if (Files.isDirectory(g)) {
                try {
                    for (Path f : LocalCheck.manifestFiles(g)) {
                        found.add(new Source(f, g.relativize(f).toString().replace('\\', '/')));
                    }
                } catch (IOException e) {
                    throw new CliFailure(Exit.USAGE, g + ": cannot be read (" + e.getMessage() + ")");
                }
            } else if (Files.isRegularFile(g)) {
                found.add(new Source(g, g.getFileName().toString()));
            } else {
                throw new CliFailure(Exit.USAGE, g + ": no such file or directory");
            }
            for (Source s : found) {
                Source before = byRelative.putIfAbsent(s.relative(), s);
                if (before != null) {
                    throw new CliFailure(Exit.USAGE, s.file() + " and " + before.file() + " would both be pushed as "
                            + s.relative());
                }
            }
        }
        return List.copyOf(byRelative.values());
    }

    /** The problems of each given file or directory, as {@code path:line: field: reason} with the path as given. */
    static List<String> problems(List<Path> given, Path secretsDir) {
        List<String> lines = new ArrayList<>();
        boolean checkSecrets = Files.isDirectory(secretsDir);
        for (Path g : given) {
            boolean dir = Files.isDirectory(g);
            List<Problem> found = dir ? LocalCheck.directory(g, secretsDir) : LocalCheck.file(g, secretsDir);
            for (Problem p : found) {
                if (!checkSecrets && isMissingSecret(p)) {
                    continue;
                }
                String file = dir && !Path.of(p.file()).isAbsolute() ? g.resolve(p.file()).toString()
                        : dir ? p.file() : g.toString();
                lines.add(Problems.line(file, p.line(), p.field(), p.message()));
            }
        }
        return lines;
    }

    static String secretsNote(Path secretsDir) {
        return Files.isDirectory(secretsDir) ? null
                : "note: secrets not checked: " + secretsDir + " does not exist here (--secrets-dir, BERTH_SECRETS_DIR)";
    }

    static Path secretsDir(Io io, Path option) {
        if (option != null) {
            return option;
        }
        String env = io.env("BERTH_SECRETS_DIR");
        return Path.of(env != null ? env : DEFAULT_SECRETS_DIR);
    }

    /** The binder's "secret 'x' not found in the secrets directory …" (manifest/SpecBinder). */
    private static boolean isMissingSecret(Problem p) {
        return p.message().startsWith("secret '") && p.message().contains("not found in the secrets directory");
    }

    /** The loader logs each rejected file through JBoss Logging (JUL here); the CLI prints them itself. */
    static void quietLoaderLogs() {
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.OFF);
        java.util.logging.Logger.getLogger("dev.berth").setLevel(java.util.logging.Level.OFF);
    }
}
