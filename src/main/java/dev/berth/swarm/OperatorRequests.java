package dev.berth.swarm;

import java.util.Set;

/**
 * What operators asked of services for this pass (REST commands), as the planner weighs them
 * beside the manifests: roll back to Swarm's previous spec, try again despite a rollback or a
 * pause, restart every task.
 */
public record OperatorRequests(Set<String> rollback, Set<String> retry, Set<String> restart) {
    public static final OperatorRequests NONE = new OperatorRequests(Set.of(), Set.of(), Set.of());

    public OperatorRequests {
        rollback = Set.copyOf(rollback);
        retry = Set.copyOf(retry);
        restart = Set.copyOf(restart);
    }
}
