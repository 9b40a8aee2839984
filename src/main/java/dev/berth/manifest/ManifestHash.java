package dev.berth.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The two hashes the manifests API shows, both {@code sha256:<hex>}. A file's hash is of its
 * bytes exactly as stored (what {@code ETag} and {@code If-Match} compare). A declaration's hash
 * ({@code manifestHash} in service status) is of its document as canonical JSON (keys sorted,
 * comments and layout gone), so the daemon's loaded declaration and the PUT answer for the same
 * text agree, and reformatting a file changes no service's hash. For a Compose file it is the
 * translated Berth document. Env files and secrets a declaration names are not part of it.
 */
public final class ManifestHash {
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private ManifestHash() {}

    public static String ofBytes(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** As {@link #ofBytes}, read from a file in pieces (a file too large to be a manifest is still hashed, not loaded). */
    public static String ofFile(java.nio.file.Path file) throws java.io.IOException {
        try (var in = java.nio.file.Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return "sha256:" + HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String ofDocument(JsonNode root) {
        try {
            Object plain = CANONICAL.treeToValue(root, Object.class);
            return ofBytes(CANONICAL.writeValueAsBytes(plain));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
