package dev.berth.swarm;

import java.util.List;
import java.util.Map;

/**
 * A pass's decisions: the actions in order, the services left alone on purpose with why (a
 * rollback or a paused update that holds until the manifest changes), and fields found not kept
 * by the manager (see {@link SwarmPlanner#plan}).
 */
public record SwarmPlan(List<SwarmAction> actions, Map<String, SwarmHold> holds, java.util.Set<String> unkept) {
    public SwarmPlan {
        actions = List.copyOf(actions);
        holds = Map.copyOf(holds);
        unkept = java.util.Set.copyOf(unkept);
    }
}
