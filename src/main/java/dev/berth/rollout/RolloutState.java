package dev.berth.rollout;

/**
 * A service's rollout state machine (Swarm's UpdateStatus, Kubernetes' progressing condition):
 *
 * <pre>
 *   PROGRESSING ──all new replicas available──▶ COMPLETE ──monitor window passes──▶ (stays COMPLETE)
 *       │ new replica exits / turns unhealthy / deadline         │ same, within the monitor window
 *       ├─ failureAction rollback ─▶ ROLLING_BACK ──▶ ROLLED_BACK (holds until the manifest changes)
 *       ├─ failureAction pause ────▶ PAUSED (holds until the manifest changes)
 *       └─ nothing to roll back to ─▶ FAILED (replicas keep restarting with backoff)
 *   ROLLING_BACK fails ─▶ PAUSED (a rollback is never rolled back)
 * </pre>
 */
public enum RolloutState {
    PROGRESSING, COMPLETE, ROLLING_BACK, ROLLED_BACK, PAUSED, FAILED
}
