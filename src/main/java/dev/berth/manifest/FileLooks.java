package dev.berth.manifest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every question a parse asks the file system besides reading the manifest itself: whether an
 * env file, {@code .env}, Compose override, config, secret or bind source is there, what it
 * holds, where a link leads. Asked through here, each answer's file is noted while a
 * {@link #recording} runs on the thread, so {@link ParseCache} knows exactly which files a
 * parse depended on and can reuse it while none of them changed. A check made around this
 * class would make the cache stale without notice; {@code FileLooksGuardTest} keeps the
 * manifest package from calling {@link Files} elsewhere.
 */
public final class FileLooks {
    private static final ThreadLocal<Map<Path, Stamp>> NOTES = new ThreadLocal<>();

    private FileLooks() {}

    /**
     * What a file looked like: enough to tell that it was created, removed, written, replaced or
     * (for a link) pointed elsewhere. The link's target is stamped as well.
     */
    public record Stamp(boolean exists, boolean link, long modifiedNanos, long size, Object key, Stamp target) {
        static final Stamp ABSENT = new Stamp(false, false, 0, 0, null, null);

        public static Stamp of(Path p) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                Stamp target = null;
                if (a.isSymbolicLink()) {
                    try {
                        BasicFileAttributes t = Files.readAttributes(p, BasicFileAttributes.class);
                        target = new Stamp(true, false, nanos(t), t.size(), t.fileKey(), null);
                    } catch (IOException e) {
                        target = ABSENT;
                    }
                }
                return new Stamp(true, a.isSymbolicLink(), nanos(a), a.size(), a.fileKey(), target);
            } catch (IOException e) {
                return ABSENT;
            }
        }

        private static long nanos(BasicFileAttributes a) {
            return a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** Runs {@code parse} and answers, beside its result, the stamps of every file it looked at. */
    public static <T> Recorded<T> recording(Supplier<T> parse) {
        Map<Path, Stamp> outer = NOTES.get();
        Map<Path, Stamp> notes = new HashMap<>();
        NOTES.set(notes);
        try {
            return new Recorded<>(parse.get(), Map.copyOf(notes));
        } finally {
            if (outer == null) {
                NOTES.remove();
            } else {
                outer.putAll(notes);
                NOTES.set(outer);
            }
        }
    }

    /** A result and the files it was made from, as they were before they were looked at. */
    public record Recorded<T>(T result, Map<Path, Stamp> looked) {
        /** True while every file looked at is as it was: a parse now would give the same result. */
        public boolean current() {
            for (Map.Entry<Path, Stamp> e : looked.entrySet()) {
                if (!Stamp.of(e.getKey()).equals(e.getValue())) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Notes {@code p} as looked at. Stamped before it is read, so a write during the read shows as a change. */
    public static void note(Path p) {
        Map<Path, Stamp> notes = NOTES.get();
        if (notes != null) {
            Path abs = p.toAbsolutePath().normalize();
            notes.computeIfAbsent(abs, Stamp::of);
        }
    }

    public static boolean isRegularFile(Path p) {
        note(p);
        return Files.isRegularFile(p);
    }

    public static boolean exists(Path p) {
        note(p);
        return Files.exists(p);
    }

    public static String readString(Path p) throws IOException {
        note(p);
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    /** {@link Path#toRealPath}, noting the path as written (a link retargeted there shows as a change). */
    public static Path realPath(Path p) throws IOException {
        note(p);
        return p.toRealPath();
    }
}
