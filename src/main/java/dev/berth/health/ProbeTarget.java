package dev.berth.health;

import dev.berth.desired.HealthCheck;
import java.time.Instant;

/** One running replica to watch; {@code check} null means "ready while running". */
public record ProbeTarget(String containerId, String service, int revision, HealthCheck check, Integer hostPort,
        Instant startedAt) {}
