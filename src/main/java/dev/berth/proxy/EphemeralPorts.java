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

    static String describe() {
        return RANGE[0] + "–" + RANGE[1];
    }
}
