package dev.berth.rollout;

/**
 * One step of a service's rollout state machine, logged and evented alike as
 * {@code "from → to: reason"}. {@code from} is null for a service's first record.
 */
public record Transition(RolloutState from, RolloutState to, String reason) {

    /** The Kubernetes-style event reason of arriving in {@link #to}. */
    public String eventReason() {
        return switch (to) {
            case PROGRESSING -> "RolloutStarted";
            case COMPLETE -> "RolloutComplete";
            case ROLLING_BACK -> "RollingBack";
            case ROLLED_BACK -> "RolledBack";
            case PAUSED -> "RolloutPaused";
            case FAILED -> "RolloutFailed";
        };
    }

    /** A step an operator should look at: a rollback, a failure or a pause. */
    public boolean isWarning() {
        return to == RolloutState.ROLLING_BACK || to == RolloutState.FAILED || to == RolloutState.PAUSED;
    }

    @Override
    public String toString() {
        return (from == null ? "(new)" : from) + " → " + to + ": " + reason;
    }
}
