package dev.berth.reconcile;

import java.time.Instant;
import java.util.Set;

/**
 * The rollout of one service, persisted in the state directory so a restarted daemon finishes
 * or undoes it. {@code failedHashes} are revisions that failed: the manifest asking for one of
 * them again is not retried until it changes.
 */
public record RolloutRecord(RolloutState state, String fromHash, int fromRevision, String toHash, int toRevision,
        Instant startedAt, Instant completedAt, String reason, Set<String> failedHashes) {

    public RolloutRecord {
        failedHashes = failedHashes == null ? Set.of() : Set.copyOf(failedHashes);
    }

    /** The revision the service converges to now. */
    public String targetHash() {
        return state == RolloutState.ROLLING_BACK || state == RolloutState.ROLLED_BACK ? fromHash : toHash;
    }

    public int targetRevision() {
        return state == RolloutState.ROLLING_BACK || state == RolloutState.ROLLED_BACK ? fromRevision : toRevision;
    }

    public boolean paused() {
        return state == RolloutState.PAUSED;
    }

    RolloutRecord to(RolloutState next, Instant now, String why) {
        return new RolloutRecord(next, fromHash, fromRevision, toHash, toRevision, startedAt,
                next == RolloutState.COMPLETE || next == RolloutState.ROLLED_BACK ? now : completedAt, why, failedHashes);
    }

    RolloutRecord failing(RolloutState next, Instant now, String why) {
        java.util.Set<String> failed = new java.util.HashSet<>(failedHashes);
        failed.add(toHash);
        return new RolloutRecord(next, fromHash, fromRevision, toHash, toRevision, now, null, why, failed);
    }
}
