package dev.berth.swarm;

import java.util.List;
import java.util.Map;

/**
 * A pass's decisions: the actions in order, the services left alone on purpose with why (a
 * rollback or a paused update that holds until the manifest changes), fields found not kept by
 * the manager (see {@link SwarmPlanner#plan}), and operator requests refused, with the reason the
 * command's caller gets.
 */
public record SwarmPlan(List<SwarmAction> actions, Map<String, SwarmHold> holds, java.util.Set<String> unkept,
        Map<String, String> refused) {
    public SwarmPlan {
        actions = List.copyOf(actions);
        holds = Map.copyOf(holds);
        unkept = java.util.Set.copyOf(unkept);
        refused = Map.copyOf(refused);
    }
}
