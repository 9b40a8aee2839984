package dev.berth.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes that survive a crash and a power cut: the content goes to a sibling temp file
 * ({@code .<name>…tmp}), which is forced to disk, renamed over the target, and then the directory
 * is forced so the rename itself is on disk. A crash leaves the old file or the new one, never
 * half of one, and never a file whose name points at content the disk never got (the classic
 * zero-length file after a power cut on ext4/xfs). A crash can leave a temp file behind:
 * {@link #removeTempFiles} clears them; readers ignore names that start with a dot.
 */
public final class AtomicFiles {
    private static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {}

    public static void write(Path target, byte[] content, String posixMode) throws IOException {
        writeAll(Map.of(target, content), posixMode);
    }

    /**
     * {@link #write} for several files at once, each as atomic as one {@link #write}: every temp
     * file is written first, then all are forced, renamed, and each directory forced once. A
     * crash leaves each target old or new, never torn; on an error some targets may be new and
     * the rest old. Cheaper than one write after another: the disk is asked to flush once per
     * file and once per directory, not twice per file.
     */
    public static void writeAll(Map<Path, byte[]> contents, String posixMode) throws IOException {
        Map<Path, Path> temps = new LinkedHashMap<>();
        Set<Path> parents = new LinkedHashSet<>();
        try {
            for (Map.Entry<Path, byte[]> e : contents.entrySet()) {
                Path parent = e.getKey().toAbsolutePath().getParent();
                if (parents.add(parent)) {
                    createDirectories(parent);
                }
                Path tmp = Files.createTempFile(parent, "." + e.getKey().getFileName(), TEMP_SUFFIX);
                temps.put(e.getKey(), tmp);
                writeTemp(tmp, e.getValue(), posixMode);
            }
            for (Path tmp : temps.values()) {
                // Read-only is enough to force, and the mode set above may not allow writing.
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ)) {
                    ch.force(true);
                }
            }
            for (var it = temps.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                try {
                    Files.move(e.getValue(), e.getKey(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException notAtomic) {
                    Files.move(e.getValue(), e.getKey(), StandardCopyOption.REPLACE_EXISTING);
                }
                it.remove();
            }
            for (Path parent : parents) {
                fsyncDirectory(parent);
            }
        } finally {
            for (Path tmp : temps.values()) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static void writeTemp(Path tmp, byte[] content, String posixMode) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (posixMode != null) {
                // Before the force, which writes the mode (inode metadata) to disk with the content.
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(posixMode));
            }
        }
    }

    /**
     * Removes {@code target} and forces its directory, so the removal survives a power cut.
     *
     * @return false when there was nothing to remove
     */
    public static boolean delete(Path target) throws IOException {
        boolean removed = Files.deleteIfExists(target);
        if (removed) {
            fsyncDirectory(target.toAbsolutePath().getParent());
        }
        return removed;
    }

    /**
     * Like {@link Files#createDirectories}, and each directory it creates is forced to disk
     * together with its parent, so a new directory does not vanish after a power cut while files
     * written into it were forced.
     */
    public static void createDirectories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = abs; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        if (missing.isEmpty()) {
            return;
        }
        Files.createDirectories(abs);
        Path top = missing.peek().getParent();
        if (top != null) {
            fsyncDirectory(top);
        }
        for (Path p : missing) {
            fsyncDirectory(p);
        }
    }

    /**
     * Deletes the temp files a crashed {@link #write} left in {@code dir} (not recursive).
     *
     * @return how many were deleted
     */
    public static int removeTempFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, p -> isTempFile(p) && Files.isRegularFile(p))) {
            for (Path p : s) {
                Files.deleteIfExists(p);
                n++;
            }
        }
        if (n > 0) {
            fsyncDirectory(dir);
        }
        return n;
    }

    /** Whether the name is one {@link #write} gives its temp files. */
    public static boolean isTempFile(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith(".") && name.endsWith(TEMP_SUFFIX);
    }

    /** Forces a directory's entries to disk (Linux lets a directory be opened read-only for this). */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
