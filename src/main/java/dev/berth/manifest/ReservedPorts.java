package dev.berth.manifest;

import java.util.Map;
import java.util.TreeMap;

/**
 * Host ports that Berth itself listens on, with who uses each ("Berth's API
 * (quarkus.http.port)"). A service publishing one of them could never bind it, or would take
 * the API's place; {@link Assembler} reports it like a port two services publish.
 */
public record ReservedPorts(Map<Integer, String> owners) {
    public static final ReservedPorts NONE = new ReservedPorts(Map.of());

    public ReservedPorts {
        owners = Map.copyOf(owners);
    }

    /** These and {@code port}, held by {@code owner}. */
    public ReservedPorts with(int port, String owner) {
        Map<Integer, String> more = new TreeMap<>(owners);
        more.put(port, owner);
        return new ReservedPorts(more);
    }

    /** Who holds {@code port}, or null. */
    public String owner(int port) {
        return owners.get(port);
    }

    /**
     * The ports in Berth's own configuration (MicroProfile Config, as Quarkus reads it): today
     * {@code quarkus.http.port}. Empty where no configuration can be read (plain tests, tools).
     */
    public static ReservedPorts fromConfig() {
        try {
            var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
            Map<Integer, String> owners = new TreeMap<>();
            config.getOptionalValue("quarkus.http.port", Integer.class).filter(p -> p > 0)
                    .ifPresent(p -> owners.put(p, "Berth's API (quarkus.http.port)"));
            return new ReservedPorts(owners);
        } catch (RuntimeException | LinkageError e) {
            return NONE;
        }
    }
}
