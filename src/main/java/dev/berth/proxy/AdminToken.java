package dev.berth.proxy;

import dev.berth.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The admin channel's shared secret: a random token the data plane keeps in
 * {@code <state-dir>/proxy/admin-token} (mode 0600) and the control plane reads from there. Both
 * processes run as the same user, so the file's mode is what keeps other local users off the
 * channel. The data plane keeps an existing token across restarts, so a control plane that
 * read it once goes on working.
 */
public final class AdminToken {
    public static final String FILE = "admin-token";

    private AdminToken() {}

    /** The token in {@code file}, created (0600) when missing or empty. */
    public static String loadOrCreate(Path file) throws IOException {
        String t = read(file);
        if (t != null) {
            return t;
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String fresh = HexFormat.of().formatHex(random);
        AtomicFiles.write(file, (fresh + "\n").getBytes(StandardCharsets.UTF_8), "rw-------");
        return fresh;
    }

    /** The token in {@code file}, or null when there is none yet. */
    public static String read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        String t = Files.readString(file).strip();
        return t.isEmpty() ? null : t;
    }

    /** Constant-time check of an {@code Authorization} header against the token. */
    public static boolean matches(String token, String authorization) {
        return authorization != null && MessageDigest.isEqual(("Bearer " + token).getBytes(StandardCharsets.UTF_8),
                authorization.strip().getBytes(StandardCharsets.UTF_8));
    }
}
