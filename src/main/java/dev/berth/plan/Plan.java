package dev.berth.plan;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The actions of one pass, in execution order, plus notes for status and the instant the loop
 * should look again even if nothing wakes it (a backoff running out), or null.
 */
public record Plan(List<Action> actions, Map<String, ServiceNote> notes, List<String> warnings, Instant wakeAt) {
    public Plan {
        actions = List.copyOf(actions);
        notes = Map.copyOf(notes);
        warnings = List.copyOf(warnings);
    }

    public boolean isEmpty() {
        return actions.isEmpty();
    }
}
