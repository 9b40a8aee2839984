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
        Path parent = target.toAbsolutePath().getParent();
        createDirectories(parent);
        Path tmp = Files.createTempFile(parent, "." + target.getFileName(), TEMP_SUFFIX);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (posixMode != null) {
                    // Set while the channel is open, so a read-only mode cannot stop the force, which
                    // writes the mode (inode metadata) to disk with the content.
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(posixMode));
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            fsyncDirectory(parent);
        } finally {
            Files.deleteIfExists(tmp);
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
