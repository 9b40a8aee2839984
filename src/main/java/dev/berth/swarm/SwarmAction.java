package dev.berth.swarm;

import com.fasterxml.jackson.databind.JsonNode;

/** What the Swarm backend does to one service in a pass; {@link SwarmPlanner} decides, the reconciler carries out. */
public sealed interface SwarmAction {
    String service();

    /** @param spec the full spec to send, revision label included */
    record Create(String service, int revision, JsonNode spec) implements SwarmAction {}

    /**
     * @param version the service version the decision was made on (Swarm refuses a stale one)
     * @param reason  for the log and events: which field differs, or that the spec changed
     */
    record Update(String service, String id, long version, int revision, JsonNode spec, String reason)
            implements SwarmAction {}

    /** Swarm's own rollback to the previous spec (the operator's REST rollback). */
    record Rollback(String service, String id, long version, JsonNode currentSpec) implements SwarmAction {}

    /**
     * An update to a kept revision's template (the operator's rollback to a revision Swarm's
     * previous spec is not), marked as a rollback so it holds.
     */
    record RollbackTo(String service, String id, long version, int revision, JsonNode spec) implements SwarmAction {}

    record Remove(String service, String id) implements SwarmAction {}

    /**
     * Writes onto a service Swarm rolled back which template it was rolled back from (labels only:
     * Swarm starts no tasks for it), since Swarm itself forgets.
     */
    record MarkRolledBack(String service, String id, long version, JsonNode spec) implements SwarmAction {}
}
