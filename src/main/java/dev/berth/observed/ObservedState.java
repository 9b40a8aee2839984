package dev.berth.observed;

import java.util.List;
import java.util.Map;

/**
 * What the engine holds that concerns this project: every container labelled with it, and the
 * networks and volumes under the project's names (managed or not — a foreign object in the way
 * must be reported, not replaced). Networks and volumes are keyed by their logical name.
 */
public record ObservedState(List<ObservedContainer> containers, Map<String, ObservedNetwork> networks,
        Map<String, ObservedVolume> volumes, Map<String, List<ObservedContainer>> byService) {

    /** @param byService the containers by service, derived here (every step of a pass asks per service) */
    public ObservedState {
        containers = List.copyOf(containers);
        networks = Map.copyOf(networks);
        volumes = Map.copyOf(volumes);
        byService = Map.copyOf(byService);
    }

    public ObservedState(List<ObservedContainer> containers, Map<String, ObservedNetwork> networks,
            Map<String, ObservedVolume> volumes) {
        this(containers, networks, volumes, containers.stream().collect(
                java.util.stream.Collectors.groupingBy(ObservedContainer::service,
                        java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(), List::copyOf))));
    }

    public List<ObservedContainer> of(String service) {
        return byService.getOrDefault(service, List.of());
    }
}
