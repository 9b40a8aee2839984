package dev.berth.observed;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The one definition of an available replica (Kubernetes' "available": ready for at least
 * minReadySeconds): its container is up and its probes have passed for {@code minReady}. The
 * planner's rollout arithmetic, the rollout's progress, the proxy's membership and the status
 * counts all ask this; whether a replica is leaving is each caller's own filter.
 */
public final class Availability {
    private Availability() {}

    public static boolean available(ObservedContainer c, Map<String, ReplicaHealth> health, Duration minReady, Instant now) {
        ReplicaHealth h = health.get(c.id());
        return c.isUp() && h != null && h.available(minReady, now);
    }
}
