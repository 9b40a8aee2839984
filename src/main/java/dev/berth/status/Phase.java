package dev.berth.status;

/** A service's phase as status shows it. */
public enum Phase {
    /** Creating, starting or replacing containers. */
    Progressing,
    /** Every desired replica of the current revision runs. */
    Available,
    /** Fewer replicas run than desired, and Berth is backing off (crash loop, engine errors). */
    Degraded,
    /** Waiting for a dependency (dependsOn) to meet its condition: start, be healthy, complete. */
    Waiting,
    /** A one-shot job finished successfully. */
    Completed,
    /** The service cannot be brought up: image missing, pull failed, job failed, first rollout failed. */
    Failed,
    /** A failed rollout was rolled back; the restored revision holds until the manifest changes. */
    RolledBack,
    /** A rollout stopped half-way (failureAction: pause, or a failed rollback); holds until the manifest changes. */
    Paused
}
