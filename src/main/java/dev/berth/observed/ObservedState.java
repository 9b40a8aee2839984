package dev.berth.observed;

import java.util.List;
import java.util.Map;

/**
 * What the engine holds that concerns this project: every container labelled with it, and the
 * networks and volumes under the project's names (managed or not — a foreign object in the way
 * must be reported, not replaced). Networks and volumes are keyed by their logical name.
 */
public record ObservedState(List<ObservedContainer> containers, Map<String, ObservedNetwork> networks,
        Map<String, ObservedVolume> volumes) {

    public ObservedState {
        containers = List.copyOf(containers);
        networks = Map.copyOf(networks);
        volumes = Map.copyOf(volumes);
    }

    public List<ObservedContainer> of(String service) {
        return containers.stream().filter(c -> c.service().equals(service)).toList();
    }
}
