package dev.berth.proxy;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel's ephemeral port range ({@code net.ipv4.ip_local_port_range}), from which the
 * engine takes the host ports of replicas published as {@code 127.0.0.1::<port>}. A proxy port
 * inside it can be taken by a replica first. Linux's default when the file cannot be read.
 */
final class EphemeralPorts {
    private static final int[] RANGE = read(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));

    private EphemeralPorts() {}

    static int[] read(Path file) {
        try {
            String[] parts = Files.readString(file).trim().split("\\s+");
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (Exception e) {
            return new int[] {32768, 60999};
        }
    }

    static boolean contains(int port) {
        return port >= RANGE[0] && port <= RANGE[1];
    }

    static int first() {
        return RANGE[0];
    }

    /** Why a port may be taken by a replica, or null when it is outside the range. */
    static String hint(int port) {
        return contains(port) ? "port " + port + " is in the ephemeral range " + RANGE[0] + "–" + RANGE[1]
                + ", from which the engine picks replicas' published ports; a port below " + RANGE[0] + " cannot collide"
                : null;
    }
}
