package dev.berth.desired;

import java.util.Map;
import java.util.Set;

/**
 * Everything the manifests ask for, keyed by name. {@code heldSources} are manifest files that
 * are currently rejected and have no last good version: objects that came from them are left
 * as they are instead of being treated as removed. {@code manifestHashes}: by service, the hash
 * of the declaration it was loaded from ({@code manifest.ManifestHash}), which status shows.
 */
public record DesiredState(
        Map<String, ServiceSpec> services,
        Map<String, NetworkSpec> networks,
        Map<String, VolumeSpec> volumes,
        Set<String> heldSources,
        Map<String, String> manifestHashes) {

    /** Name of the network services join when they name none. */
    public static final String DEFAULT_NETWORK = "default";

    public DesiredState {
        services = Map.copyOf(services);
        networks = Map.copyOf(networks);
        volumes = Map.copyOf(volumes);
        heldSources = Set.copyOf(heldSources);
        manifestHashes = Map.copyOf(manifestHashes);
    }

    /** With no declaration hashes (tests, and states not read from files). */
    public DesiredState(Map<String, ServiceSpec> services, Map<String, NetworkSpec> networks,
            Map<String, VolumeSpec> volumes, Set<String> heldSources) {
        this(services, networks, volumes, heldSources, Map.of());
    }

    /**
     * Whether objects from {@code source} are left as they run: it is held itself, or lies under
     * a held directory entry (a symbolic link to a directory that is no longer followed).
     */
    public boolean holds(String source) {
        if (source == null) {
            return false;
        }
        if (heldSources.contains(source)) {
            return true;
        }
        for (String h : heldSources) {
            if (source.startsWith(h + "/")) {
                return true;
            }
        }
        return false;
    }

    public static DesiredState empty() {
        return new DesiredState(Map.of(), Map.of(), Map.of(), Set.of());
    }
}
