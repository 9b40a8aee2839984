package dev.berth.swarm;

import dev.berth.desired.DesiredState;
import dev.berth.desired.Names;
import dev.berth.desired.NetworkSpec;
import dev.berth.engine.Labels;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What Berth would create for a {@code kind: Network} on Swarm (a create-network call's fields;
 * docker-java has no spec object for it). A service's tasks land on several nodes, so its networks
 * must span them: {@code bridge} (the manifest default, node-local) and {@code overlay} both become
 * {@code overlay}; another driver is a problem ({@link SwarmCheck}). Attachable, so a plain
 * container can join it, as any container can join a bridge network on one host.
 */
public record OverlayNetwork(String name, String driver, boolean internal, boolean attachable,
        Map<String, String> labels) {

    public static final String DRIVER = "overlay";
    /** The drivers a manifest may name for a network Swarm should carry. */
    static final Set<String> MAPPED_DRIVERS = Set.of("bridge", DRIVER);

    public OverlayNetwork {
        labels = Map.copyOf(labels);
    }

    public static OverlayNetwork of(String project, NetworkSpec n) {
        if (!MAPPED_DRIVERS.contains(n.driver())) {
            throw new IllegalArgumentException("network " + n.name() + " has driver " + n.driver()
                    + ", which does not map to Swarm (SwarmCheck reports it)");
        }
        Map<String, String> labels = new LinkedHashMap<>(n.labels());
        labels.put(Labels.MANAGED, "true");
        labels.put(Labels.PROJECT, project);
        labels.put(Labels.NAME, n.name());
        return new OverlayNetwork(Names.network(project, n.name()), DRIVER, n.internal(), true, labels);
    }

    /** The project's {@code default} network when no manifest declares it. */
    public static OverlayNetwork defaultNetwork(String project) {
        return of(project, new NetworkSpec(DesiredState.DEFAULT_NETWORK, null, "bridge", false, Map.of()));
    }
}
