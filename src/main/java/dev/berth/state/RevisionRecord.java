package dev.berth.state;

import dev.berth.desired.ResolvedService;
import java.time.Instant;

/**
 * One revision of a service as kept in the state directory: everything needed to run it again
 * without the manifest or a registry (the resolved spec with its pinned image and rendered
 * files), and how it fared.
 *
 * @param outcome    Progressing, Complete, Failed: …, Restored by rollback, Superseded
 * @param deployedAt when it last became the revision the service runs (a rollout completed to
 *                   it or a rollback restored it); null if it never did. A spec that comes back
 *                   keeps its revision number and {@code createdAt}, so only this says which
 *                   revision ran most recently.
 */
public record RevisionRecord(int revision, String specHash, String image, String imageDigest, Instant createdAt,
        ResolvedService resolved, String outcome, Instant deployedAt) {

    public RevisionRecord(int revision, String specHash, String image, String imageDigest, Instant createdAt,
            ResolvedService resolved, String outcome) {
        this(revision, specHash, image, imageDigest, createdAt, resolved, outcome, null);
    }

    RevisionRecord withOutcome(String o) {
        return new RevisionRecord(revision, specHash, image, imageDigest, createdAt, resolved, o, deployedAt);
    }

    public RevisionRecord deployed(Instant at) {
        return new RevisionRecord(revision, specHash, image, imageDigest, createdAt, resolved, outcome, at);
    }

    /** When it last ran as the service's revision, as far as is known (records from before the field: created). */
    public Instant lastActive() {
        return deployedAt != null ? deployedAt : createdAt;
    }
}
