package dev.berth.reconcile;

import dev.berth.desired.ServiceSpec;
import dev.berth.health.HealthMonitor;
import dev.berth.observed.ObservedContainer;
import dev.berth.observed.ObservedNetwork;
import dev.berth.proxy.TrafficSwitch;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Keeps the proxy's members equal to the replicas that may take traffic ({@link Routes}) at all
 * times, not only at the end of a pass: a pass routes before it removes anything (so a
 * successor that became ready is in before its predecessor is drained), and every readiness
 * change between passes reroutes at once from the latest view of the engine.
 *
 * <p>The invariant this holds: while a service has a ready, non-leaving replica, its proxy has
 * a member. A removal drains only the one replica it removes, after the reroute that put every
 * ready successor in.
 */
final class Traffic {
    private static final Logger LOG = Logger.getLogger(Traffic.class);
    private final TrafficSwitch proxy;
    private final HealthMonitor health;
    private final Removals removals;
    /** Guarded by this: a reroute never applies a view older than one already applied. */
    private View last;

    /**
     * What the latest pass saw: the services it routes, the containers and networks it observed,
     * and whether replicas were to be reached at their addresses then.
     */
    private record View(Map<String, ServiceSpec> services, List<ObservedContainer> containers,
            Map<String, ObservedNetwork> networks, boolean direct) {}

    Traffic(TrafficSwitch proxy, HealthMonitor health, Removals removals) {
        this.proxy = proxy;
        this.health = health;
        this.removals = removals;
    }

    /**
     * Routes from a new view; answers per service why a port could not be opened.
     *
     * @param direct whether replicas are reached at their addresses ({@code proxy.Upstream})
     */
    synchronized Map<String, String> route(Map<String, ServiceSpec> services, List<ObservedContainer> containers,
            Map<String, ObservedNetwork> networks, boolean direct) {
        if (last == null || last.direct() != direct) {
            LOG.infof("proxy reaches replicas %s", direct ? "at their addresses on bridge networks"
                    : "through the ports the engine publishes on 127.0.0.1");
        }
        last = new View(Map.copyOf(services), List.copyOf(containers), Map.copyOf(networks), direct);
        return reroute();
    }

    /** Routes again from the latest view with the health of now (a probe result changed). */
    synchronized Map<String, String> reroute() {
        View v = last;
        if (v == null) {
            return Map.of();
        }
        return proxy.apply(Routes.of(v.services(), v.networks(), v.containers(), health.snapshot(), removals.leaving(),
                Instant.now(), v.direct()));
    }
}
