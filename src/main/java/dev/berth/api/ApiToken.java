package dev.berth.api;

import dev.berth.config.BerthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.jboss.logging.Logger;

/**
 * The API's bearer token: {@code berth.api.token} when set, else a random token kept in
 * {@code <state-dir>/api-token} (created 0600 at first start). Compared in constant time.
 */
@ApplicationScoped
public class ApiToken {
    private static final Logger LOG = Logger.getLogger(ApiToken.class);

    @Inject
    BerthConfig config;

    private volatile byte[] token;

    byte[] token() {
        byte[] t = token;
        if (t == null) {
            synchronized (this) {
                if (token == null) {
                    token = load().getBytes(StandardCharsets.UTF_8);
                }
                t = token;
            }
        }
        return t;
    }

    /** At start, so the token file exists for whoever needs it before the first request. */
    void onStart(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent e) {
        token();
    }

    private String load() {
        return loadOrCreate(config.api().token(), config.api().tokenFile().map(Path::of), Path.of(config.stateDir()));
    }

    /**
     * The configured token if set and not blank; else the content of {@code tokenFile} if set
     * (it must be readable and not blank); else the one in {@code <stateDir>/api-token}, created
     * if missing.
     */
    static String loadOrCreate(java.util.Optional<String> configured, java.util.Optional<Path> tokenFile, Path stateDir) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            return configured.get().strip();
        }
        if (tokenFile.isPresent()) {
            String t;
            try {
                t = Files.readString(tokenFile.get()).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the API token file " + tokenFile.get()
                        + " (berth.api.token-file): " + e.getMessage(), e);
            }
            if (t.isEmpty()) {
                throw new IllegalStateException("the API token file " + tokenFile.get() + " (berth.api.token-file) is empty");
            }
            return t;
        }
        Path file = stateDir.resolve("api-token");
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file).strip();
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String t = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            dev.berth.files.AtomicFiles.write(file, (t + "\n").getBytes(StandardCharsets.UTF_8), "rw-------");
            LOG.infof("created an API token in %s (mode 0600); send it as 'Authorization: Bearer <token>'", file);
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the API token file " + file, e);
        }
    }

    /** Constant-time comparison of a presented token with the expected one. */
    boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(token(), presented.getBytes(StandardCharsets.UTF_8));
    }

    boolean openReads() {
        return config.api().openReads();
    }
}
