package dev.berth.reconcile;

import java.time.Instant;
import java.util.List;

/**
 * A service as status reports it. Never holds secret values (secrets appear only by name in the
 * spec, which status does not carry).
 */
public record ServiceStatus(
        String name,
        String source,
        int revision,
        String specHash,
        String image,
        String imageDigest,
        Replicas replicas,
        Phase phase,
        String message,
        String lastError,
        Instant lastErrorAt,
        int restarts,
        Instant nextRestartAt,
        Instant since,
        List<ReplicaStatus> containers) {

    public record Replicas(int desired, int running, int ready, int updated) {}

    public record ReplicaStatus(String name, String id, int revision, int ordinal, String state, Integer exitCode,
            Instant startedAt) {}
}
