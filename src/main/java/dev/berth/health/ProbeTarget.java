package dev.berth.health;

import dev.berth.desired.HealthCheck;
import java.time.Instant;

/**
 * One running replica to watch; {@code check} null means "ready while running". An http or tcp
 * check connects to {@code host}:{@code port}: where the proxy reaches the replica (its bridge
 * address and the check's container port, or 127.0.0.1 and the port published for it), so that
 * readiness is judged on the path traffic takes; {@code port} null when it has none.
 */
public record ProbeTarget(String containerId, String service, int revision, HealthCheck check, String host,
        Integer port, Instant startedAt) {

    /** Probed through its published loopback port {@code hostPort} (tests). */
    public ProbeTarget(String containerId, String service, int revision, HealthCheck check, Integer hostPort,
            Instant startedAt) {
        this(containerId, service, revision, check, "127.0.0.1", hostPort, startedAt);
    }
}
