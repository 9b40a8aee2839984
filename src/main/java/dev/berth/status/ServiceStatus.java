package dev.berth.status;

import java.time.Instant;
import java.util.List;

/**
 * A service as status reports it. Never holds secret values (secrets appear only by name in the
 * spec, which status does not carry).
 *
 * @param revision the revision the service converges to (after a rollback: the restored one)
 * @param manifestHash the hash of the declaration the daemon last loaded for the service
 *                 ({@code manifest.ManifestHash}; the manifests API answers the same for the same text)
 * @param replicas desired; running (up); ready (taking traffic: healthy for minReadySeconds);
 *                 updated (up and of the target revision)
 */
public record ServiceStatus(
        String name,
        String source,
        int revision,
        String specHash,
        String manifestHash,
        String image,
        String imageDigest,
        Replicas replicas,
        Phase phase,
        String message,
        Rollout rollout,
        List<RevisionCount> revisions,
        String lastError,
        Instant lastErrorAt,
        int restarts,
        Instant nextRestartAt,
        Instant since,
        List<ReplicaStatus> containers) {

    public record Replicas(int desired, int running, int ready, int updated) {}

    /** Replicas per revision present, so an overlapping rollout shows old and new side by side. */
    public record RevisionCount(int revision, int running, int ready) {}

    /** The rollout state machine's view: which revisions, where it stands and why. */
    public record Rollout(String state, Integer fromRevision, int toRevision, Instant startedAt, Instant completedAt,
            String reason) {}

    /**
     * @param health STARTING, READY, UNHEALTHY (probe state) or LEAVING (draining, being removed)
     * @param node   the Swarm node that runs it (its hostname), or null on one host
     */
    public record ReplicaStatus(String name, String id, int revision, int ordinal, String state, Integer exitCode,
            Instant startedAt, String health, boolean ready, String lastProbeError, String node) {}
}
