package dev.berth.rollout;

/**
 * An operator's request, applied by the reconcile loop at the start of its next pass (so the
 * loop stays the only writer of rollout state). {@code who} names the requester for status.
 */
public sealed interface Command {
    String service();

    String who();

    /** Back to {@code revision}, or the previous good one when null. Holds until the manifest changes. */
    record Rollback(String service, Integer revision, String who) implements Command {}

    /** Stop a rollout (or rollback) in progress where it is. */
    record Pause(String service, String who) implements Command {}

    /** Continue a rollout paused by {@link Pause}. */
    record Resume(String service, String who) implements Command {}

    /** Try the manifest's revision again after it failed. */
    record Retry(String service, String who) implements Command {}

    /** Replace every replica, rolling, with the same spec (a new revision number, as kubectl rollout restart). */
    record Restart(String service, String who) implements Command {}
}
