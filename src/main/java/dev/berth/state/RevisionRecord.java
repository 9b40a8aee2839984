package dev.berth.state;

import dev.berth.desired.ResolvedService;
import dev.berth.rollout.KeptRevision;
import dev.berth.rollout.RevisionOutcome;
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

    /** The same revision probed with {@code hc}; unchanged when it already is (or nothing is kept to run it). */
    RevisionRecord withHealthcheck(dev.berth.desired.HealthCheck hc) {
        if (resolved == null || java.util.Objects.equals(resolved.spec().healthcheck(), hc)) {
            return this;
        }
        ResolvedService r = new ResolvedService(resolved.spec().withHealthcheck(hc), resolved.imageRef(),
                resolved.imageId(), resolved.imageDigest(), resolved.files(), resolved.specHash(), resolved.revision());
        return new RevisionRecord(revision, specHash, image, imageDigest, createdAt, r, outcome, deployedAt);
    }

    public RevisionRecord deployed(Instant at) {
        return new RevisionRecord(revision, specHash, image, imageDigest, createdAt, resolved, outcome, at);
    }

    /** What the rollout commands need to know of it ({@link dev.berth.rollout.Operator}). */
    public KeptRevision kept() {
        return new KeptRevision(revision, specHash, resolved != null, RevisionOutcome.parse(outcome), lastActive());
    }

    /** When it last ran as the service's revision, as far as is known (records from before the field: created). */
    public Instant lastActive() {
        return deployedAt != null ? deployedAt : createdAt;
    }
}
