package dev.berth.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The parse cache is only as good as {@link FileLooks}' notes: a file-system question asked
 * around it would let a cached parse go stale without notice. So within the manifest packages
 * only the classes below may touch {@link Files} or resolve links themselves; each has its reason.
 */
class FileLooksGuardTest {
    private static final Set<String> ALLOWED = Set.of(
            "FileLooks.java",     // the one way in, which notes what it is asked
            "ManifestTree.java",  // the loader's walk of the directory, done afresh on every load
            "ManifestText.java",  // reads the manifest itself (noted; the cache compares its text too)
            "ManifestHash.java"); // hashes a file for the API, never during a parse
    private static final Pattern TOUCH = Pattern.compile("\\bFiles\\.|\\.toRealPath\\(");

    @Test
    void onlyFileLooksAsksTheFileSystemDuringAParse() throws IOException {
        Path src = Path.of("src/main/java/dev/berth/manifest");
        List<String> offenders;
        try (Stream<Path> files = Files.walk(src)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !ALLOWED.contains(p.getFileName().toString()))
                    .filter(p -> {
                        try {
                            return TOUCH.matcher(Files.readString(p)).find();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .map(p -> src.relativize(p).toString()).toList();
        }
        assertThat(offenders).as("classes asking the file system around FileLooks").isEmpty();
    }
}
