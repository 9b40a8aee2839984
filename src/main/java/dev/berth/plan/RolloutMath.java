package dev.berth.plan;

import dev.berth.desired.ServiceSpec;
import dev.berth.desired.UpdatePolicy;

/**
 * The rolling-update bounds of a service, as Kubernetes' deployment util computes them:
 * surge rounds up, unavailable rounds down, and both zero would deadlock so unavailable
 * becomes 1. Stop-first order, host-published ports and jobs allow no surge (the old replica
 * must be gone before the new one can take its port or run).
 *
 * <p>Worked example: replicas 10, maxSurge 25%, maxUnavailable 25% → surge 3 (2.5 up), unavailable 2
 * (2.5 down): never more than 13 containers besides those leaving, never fewer than 8 available.
 */
public record RolloutMath(int surge, int unavailable) {

    public static RolloutMath of(ServiceSpec spec) {
        UpdatePolicy u = spec.update();
        int r = spec.replicas();
        if (spec.isJob()) {
            return new RolloutMath(0, Math.max(1, r));
        }
        int surge = u.maxSurge().resolve(r, true);
        int unavailable = Math.min(r, u.maxUnavailable().resolve(r, false));
        if (u.order() == UpdatePolicy.Order.STOP_FIRST || spec.hasHostPorts()) {
            surge = 0;
        }
        if (surge == 0 && unavailable == 0) {
            unavailable = 1;
        }
        return new RolloutMath(surge, unavailable);
    }

    /**
     * Most containers of the service at any instant, old and new, not counting those leaving
     * (draining or stopping) when a surge is allowed; without a surge, leaving ones count too.
     */
    public int maxTotal(int replicas) {
        return replicas + surge;
    }

    /**
     * Fewest available replicas at any instant while old ones are replaced: replicas −
     * unavailable, but never 0 while a surge is allowed. Kubernetes would let {@code replicas: 1,
     * maxUnavailable: 1} retire the only replica before its successor is ready; with room for a
     * successor that is a gap for nothing, so Berth keeps one serving until the successor is.
     * Without surge (stop-first, host ports) the gap is the order's nature.
     */
    public int minAvailable(int replicas) {
        int min = Math.max(0, replicas - unavailable);
        return surge > 0 && replicas > 0 ? Math.max(1, min) : min;
    }

    /**
     * Fewest ready replicas for a monitor to call the service up: {@link #minAvailable}, but at
     * least one while any is desired. A stop-first or host-port update of one replica may take it
     * down (minAvailable 0), which the rollout allows, yet nothing is serving. Jobs: 0, they
     * finish.
     */
    public static int minHealthy(ServiceSpec spec) {
        if (spec.isJob()) {
            return 0;
        }
        return Math.max(of(spec).minAvailable(spec.replicas()), spec.replicas() > 0 ? 1 : 0);
    }
}
