package dev.berth.engine;

import java.time.Duration;

/**
 * How long Berth waits for the engine before it calls a call failed. A dockerd stuck on a lock
 * or a saturated disk accepts connections and never answers; without these bounds a pass, a
 * service's worker or the readiness check would wait for ever.
 *
 * @param call longest silence of the engine within one ordinary call (list, inspect, create,
 *             start, connect, remove); pulls ({@code pullTimeout}), stops (the grace period),
 *             exec probes (the probe's timeout) and the event stream have bounds of their own
 * @param ping longest wait for the readiness check's ping
 */
public record EngineTimeouts(Duration call, Duration ping) {
    public static final EngineTimeouts DEFAULTS = new EngineTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(3));
}
