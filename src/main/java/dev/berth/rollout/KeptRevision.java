package dev.berth.rollout;

import java.time.Instant;

/**
 * What the rollout commands need to know of one revision in a service's history: which it is,
 * whether it can be run again and how it fared. The state store keeps the full record and hands
 * out this view, so this package never depends on the store.
 *
 * @param restorable whether everything needed to run it again is kept (a rollback can go there)
 * @param outcome    how it fared; null for none or an unknown text
 * @param lastActive when it last became the revision the service runs (else when it was created)
 */
public record KeptRevision(int revision, String specHash, boolean restorable, RevisionOutcome outcome,
        Instant lastActive) {

    /** It ran without failing (complete, superseded or restored), so a rollback may go back to it. */
    public boolean ranWell() {
        return outcome != null && outcome.ranWell();
    }
}
