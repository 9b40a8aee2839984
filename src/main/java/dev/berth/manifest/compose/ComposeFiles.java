package dev.berth.manifest.compose;

import dev.berth.manifest.FileLooks;
import java.nio.file.Path;
import java.util.List;

/**
 * The file names Compose looks for, in its order of preference. A directory holds at most one
 * Compose project: the first of {@link #MAIN} present is the project, the first of
 * {@link #OVERRIDE} present is merged over it.
 */
public final class ComposeFiles {
    public static final List<String> MAIN = List.of("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml");
    public static final List<String> OVERRIDE = List.of("compose.override.yaml", "compose.override.yml",
            "docker-compose.override.yaml", "docker-compose.override.yml");

    private ComposeFiles() {}

    public static boolean isMain(Path file) {
        return MAIN.contains(file.getFileName().toString());
    }

    public static boolean isOverride(Path file) {
        return OVERRIDE.contains(file.getFileName().toString());
    }

    /** The main file Compose would take in this file's directory (the first present), or null. */
    static Path chosenMain(Path dir) {
        return first(dir, MAIN);
    }

    static Path override(Path dir) {
        return first(dir, OVERRIDE);
    }

    private static Path first(Path dir, List<String> names) {
        for (String n : names) {
            Path p = dir.resolve(n);
            if (FileLooks.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
