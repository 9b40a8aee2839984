package dev.berth.swarm;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Swarm names of the objects Berth would create: services {@code <project>_<service>} (as
 * {@code docker stack} names them), overlay networks and volumes {@code <project>_<name>} (as on
 * one host), and secrets and configs {@code <project>_<name>_<first 12 hex of sha256(content)>}.
 *
 * <p>Swarm secrets and configs cannot be changed once created, so a changed file must be a new
 * object; putting the content hash in the name makes the new content a new name, which changes
 * the service spec, which rolls the service to it (as a changed file makes a new revision on one
 * host). Equal content under the same logical name is the same object, so loading twice creates
 * nothing new.
 */
public final class SwarmNames {
    /** Swarm's limit for service, secret and config names (swarmkit validates annotations so). */
    public static final int MAX_NAME = 63;
    static final int HASH_HEX = 12;

    private SwarmNames() {}

    public static String service(String project, String service) {
        return project + "_" + service;
    }

    /**
     * A secret's or config's object name. Characters Swarm does not allow in a name become
     * {@code -}; a logical name too long to fit is cut, the hash still tells contents apart.
     */
    public static String object(String project, String logicalName, byte[] content) {
        String hash = HexFormat.of().formatHex(sha256(content)).substring(0, HASH_HEX);
        String name = logicalName.replaceAll("[^A-Za-z0-9._-]", "-");
        int room = MAX_NAME - project.length() - hash.length() - 2;
        if (room < 1) {
            throw new IllegalArgumentException("project name '" + project + "' leaves no room for an object name");
        }
        if (name.length() > room) {
            name = name.substring(0, room);
        }
        return project + "_" + name + "_" + hash;
    }

    /** The logical name of a config file: its file name (its path is the manifest author's business). */
    public static String configName(Path source) {
        return source.getFileName().toString();
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** For tests and messages: the hash part {@link #object} would give {@code text}. */
    static String hashOf(String text) {
        return HexFormat.of().formatHex(sha256(text.getBytes(StandardCharsets.UTF_8))).substring(0, HASH_HEX);
    }
}
