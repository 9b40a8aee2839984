package dev.berth.rollout;

import java.time.Instant;
import java.util.Set;

/**
 * The rollout of one service, persisted in the state directory so a restarted daemon finishes
 * or undoes it. {@code failedHashes} are revisions that failed while the manifest still asks for
 * them: such a revision is not retried in a loop, only after the manifest changes (which starts
 * a new record with an empty set) or on an explicit retry. {@code pausedFrom} is the state an operator paused
 * (null when a failure paused it), so a resume knows where to go back to.
 */
public record RolloutRecord(RolloutState state, String fromHash, int fromRevision, String toHash, int toRevision,
        Instant startedAt, Instant completedAt, String reason, Set<String> failedHashes, RolloutState pausedFrom) {

    public RolloutRecord {
        failedHashes = failedHashes == null ? Set.of() : Set.copyOf(failedHashes);
    }

    /** The revision the service converges to now. */
    public String targetHash() {
        return towardFrom() ? fromHash : toHash;
    }

    public int targetRevision() {
        return towardFrom() ? fromRevision : toRevision;
    }

    private boolean towardFrom() {
        return state == RolloutState.ROLLING_BACK || state == RolloutState.ROLLED_BACK
                || state == RolloutState.PAUSED && pausedFrom == RolloutState.ROLLING_BACK;
    }

    public boolean paused() {
        return state == RolloutState.PAUSED;
    }

    public RolloutRecord to(RolloutState next, Instant now, String why) {
        return new RolloutRecord(next, fromHash, fromRevision, toHash, toRevision, startedAt,
                next == RolloutState.COMPLETE || next == RolloutState.ROLLED_BACK ? now : completedAt, why, failedHashes,
                null);
    }

    RolloutRecord failing(RolloutState next, Instant now, String why) {
        java.util.Set<String> failed = new java.util.HashSet<>(failedHashes);
        failed.add(toHash);
        return new RolloutRecord(next, fromHash, fromRevision, toHash, toRevision, now, null, why, failed, null);
    }

    RolloutRecord paused(Instant now, String why) {
        return new RolloutRecord(RolloutState.PAUSED, fromHash, fromRevision, toHash, toRevision, startedAt, completedAt,
                why, failedHashes, state);
    }

    /** Back to the paused state; the progress deadline counts afresh from now. */
    RolloutRecord resumed(Instant now, String why) {
        return new RolloutRecord(pausedFrom, fromHash, fromRevision, toHash, toRevision, now, null, why, failedHashes, null);
    }
}
