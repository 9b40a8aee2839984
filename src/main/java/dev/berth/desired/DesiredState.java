package dev.berth.desired;

import java.util.Map;
import java.util.Set;

/**
 * Everything the manifests ask for, keyed by name. {@code heldSources} are manifest files that
 * are currently rejected and have no last good version: objects that came from them are left
 * as they are instead of being treated as removed.
 */
public record DesiredState(
        Map<String, ServiceSpec> services,
        Map<String, NetworkSpec> networks,
        Map<String, VolumeSpec> volumes,
        Set<String> heldSources) {

    /** Name of the network services join when they name none. */
    public static final String DEFAULT_NETWORK = "default";

    public DesiredState {
        services = Map.copyOf(services);
        networks = Map.copyOf(networks);
        volumes = Map.copyOf(volumes);
        heldSources = Set.copyOf(heldSources);
    }

    public static DesiredState empty() {
        return new DesiredState(Map.of(), Map.of(), Map.of(), Set.of());
    }
}
