package dev.berth.rollout;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import dev.berth.resolve.ProbeHash;

/**
 * The rollout of one service, persisted in the state directory so a restarted daemon finishes
 * or undoes it. {@code failedHashes} are revisions that failed while the manifest still asks for
 * them: such a revision is not retried in a loop, only after the manifest changes (which starts
 * a new record with an empty set), after its healthcheck changes, or on an explicit retry.
 * {@code pausedFrom} is the state an operator paused (null when a failure paused it), so a resume
 * knows where to go back to. {@code probeHash} is the {@link ProbeHash} of the healthcheck the
 * attempt toward {@code to} runs (or, once failed, ran) with; null in records written before the
 * field existed, which adopt the manifest's without a retry.
 */
public record RolloutRecord(RolloutState state, String fromHash, int fromRevision, String toHash, int toRevision,
        Instant startedAt, Instant completedAt, String reason, Set<String> failedHashes, RolloutState pausedFrom,
        String probeHash) {

    public RolloutRecord {
        failedHashes = failedHashes == null ? Set.of() : Set.copyOf(failedHashes);
    }

    /** A record with no probe fingerprint yet (the controller adopts the manifest's in its next pass). */
    public RolloutRecord(RolloutState state, String fromHash, int fromRevision, String toHash, int toRevision,
            Instant startedAt, Instant completedAt, String reason, Set<String> failedHashes, RolloutState pausedFrom) {
        this(state, fromHash, fromRevision, toHash, toRevision, startedAt, completedAt, reason, failedHashes, pausedFrom,
                null);
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

    /** The attempt toward {@code to} failed and holds: FAILED, ROLLED_BACK or PAUSED by a failure. */
    public boolean failedAndHolding() {
        return state == RolloutState.FAILED || state == RolloutState.ROLLED_BACK
                || state == RolloutState.PAUSED && pausedFrom == null;
    }

    public RolloutRecord to(RolloutState next, Instant now, String why) {
        return new RolloutRecord(next, fromHash, fromRevision, toHash, toRevision, startedAt,
                next == RolloutState.COMPLETE || next == RolloutState.ROLLED_BACK ? now : completedAt, why, failedHashes,
                null, probeHash);
    }

    RolloutRecord failing(RolloutState next, Instant now, String why) {
        Set<String> failed = new HashSet<>(failedHashes);
        failed.add(toHash);
        return new RolloutRecord(next, fromHash, fromRevision, toHash, toRevision, now, null, why, failed, null, probeHash);
    }

    RolloutRecord paused(Instant now, String why) {
        return new RolloutRecord(RolloutState.PAUSED, fromHash, fromRevision, toHash, toRevision, startedAt, completedAt,
                why, failedHashes, state, probeHash);
    }

    /** Back to the paused state; the progress deadline counts afresh from now. */
    RolloutRecord resumed(Instant now, String why) {
        return new RolloutRecord(pausedFrom, fromHash, fromRevision, toHash, toRevision, now, null, why, failedHashes, null,
                probeHash);
    }

    RolloutRecord withProbeHash(String p) {
        return new RolloutRecord(state, fromHash, fromRevision, toHash, toRevision, startedAt, completedAt, reason,
                failedHashes, pausedFrom, p);
    }

    /**
     * A new attempt of {@code to}, as an explicit retry makes one: PROGRESSING from the stable
     * revision (none after a first deployment failed), the deadline counting from now, {@code to}
     * no longer in the failed set.
     */
    RolloutRecord retried(Instant now, String why, String probe) {
        Set<String> failed = new HashSet<>(failedHashes);
        failed.remove(toHash);
        boolean stableIsFrom = state == RolloutState.ROLLED_BACK || state == RolloutState.ROLLING_BACK
                || state == RolloutState.PAUSED;
        return new RolloutRecord(RolloutState.PROGRESSING, stableIsFrom ? fromHash : null, stableIsFrom ? fromRevision : 0,
                toHash, toRevision, now, null, why, failed, null, probe);
    }
}
