package dev.berth.desired;

import java.util.List;

/**
 * Where a service's tasks may run on a Swarm cluster, as Compose's {@code deploy.placement}:
 * {@code constraints} such as {@code node.role==manager} (all must hold), and spread preferences
 * over a node label such as {@code node.labels.zone} (tasks spread evenly over its values, in
 * order). One host has one place: the single-host backend ignores it (a warning, see
 * {@code plan.Planner}), and it is not part of the revision hash.
 */
public record Placement(List<String> constraints, List<String> spreads) {
    public static final Placement NONE = new Placement(List.of(), List.of());

    public Placement {
        constraints = List.copyOf(constraints);
        spreads = List.copyOf(spreads);
    }

    public boolean isEmpty() {
        return constraints.isEmpty() && spreads.isEmpty();
    }
}
