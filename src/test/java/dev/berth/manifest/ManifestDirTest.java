package dev.berth.manifest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture of the tests that read a manifests directory: {@code manifests/} and
 * {@code secrets/} in a fresh temporary root, a loader over them, and a way to write a file
 * and a Service manifest.
 */
abstract class ManifestDirTest {
    @TempDir
    Path root;
    Path dir;
    ManifestLoader loader;

    @BeforeEach
    void setUpManifestDir() throws IOException {
        dir = Files.createDirectories(root.resolve("manifests"));
        loader = new ManifestLoader(dir, Files.createDirectories(root.resolve("secrets")));
    }

    /** A Service manifest; {@code extra} is more of its spec, each line indented by two spaces. */
    static String service(String name, String image, String extra) {
        return "apiVersion: berth.dev/v1\nkind: Service\nmetadata: {name: " + name + "}\nspec:\n  image: " + image + "\n" + extra;
    }

    /** Writes {@code file} (relative to the manifests directory), making its directories. */
    void write(String file, String content) throws IOException {
        Path p = dir.resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }
}
