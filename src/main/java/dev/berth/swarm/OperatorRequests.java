package dev.berth.swarm;

import java.util.Map;
import java.util.Set;

/**
 * What operators asked of services for this pass (REST commands), as the planner weighs them
 * beside the manifests: roll back to Swarm's previous spec or to a kept revision's template, try
 * again despite a rollback or a pause, restart every task.
 *
 * @param restore per service, the kept revision to roll back to ({@link SwarmRevisions#target})
 */
public record OperatorRequests(Set<String> rollback, Map<String, KeptTemplate> restore, Set<String> retry,
        Set<String> restart) {
    public static final OperatorRequests NONE = new OperatorRequests(Set.of(), Map.of(), Set.of(), Set.of());

    public OperatorRequests {
        rollback = Set.copyOf(rollback);
        restore = Map.copyOf(restore);
        retry = Set.copyOf(retry);
        restart = Set.copyOf(restart);
    }
}
