package dev.berth.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write path with its fsyncs runs for real here (a directory that cannot be forced would throw);
 * that the data survives a power cut is the kernel's promise for fsync and is not tested.
 */
class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesIntoDirectoriesItCreatesWithTheModeAndNoTempFileLeft() throws Exception {
        Path target = dir.resolve("a/b/c/file");
        AtomicFiles.write(target, "one".getBytes(), "r--r-----");
        assertThat(target).hasContent("one");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("r--r-----");
        // A read-only target is replaced whole, never written into.
        AtomicFiles.write(target, "two".getBytes(), "rw-------");
        assertThat(target).hasContent("two");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
        try (var files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void createDirectoriesIsIdempotent() throws Exception {
        Path d = dir.resolve("x/y");
        AtomicFiles.createDirectories(d);
        AtomicFiles.createDirectories(d);
        assertThat(d).isDirectory();
    }

    @Test
    void removesOnlyItsOwnTempFiles() throws Exception {
        Files.writeString(dir.resolve(".web.json123.tmp"), "half");
        Files.writeString(dir.resolve("web.json"), "{}");
        Files.writeString(dir.resolve("notes.tmp"), "not ours: no leading dot");
        Files.createDirectory(dir.resolve(".cache.tmp"));
        assertThat(AtomicFiles.removeTempFiles(dir)).isEqualTo(1);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("web.json", "notes.tmp",
                    ".cache.tmp");
        }
        assertThat(AtomicFiles.removeTempFiles(dir.resolve("missing"))).isZero();
    }
}
