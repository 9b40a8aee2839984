package dev.berth.reconcile;

import dev.berth.plan.ResolvedService;
import java.time.Instant;

/**
 * One revision of a service as kept in the state directory: everything needed to run it again
 * without the manifest or a registry (the resolved spec with its pinned image and rendered
 * files), and how it fared.
 *
 * @param outcome Progressing, Complete, Failed: …, RolledBack, Superseded
 */
public record RevisionRecord(int revision, String specHash, String image, String imageDigest, Instant createdAt,
        ResolvedService resolved, String outcome) {

    RevisionRecord withOutcome(String o) {
        return new RevisionRecord(revision, specHash, image, imageDigest, createdAt, resolved, o);
    }
}
