package dev.berth.reconcile;

import dev.berth.desired.DesiredState;
import dev.berth.desired.HealthCheck;
import dev.berth.desired.ServiceSpec;
import dev.berth.health.ProbeTarget;
import dev.berth.observed.ObservedContainer;
import dev.berth.observed.ObservedState;
import dev.berth.state.StateStore;
import dev.berth.state.StateUnreadable;
import java.util.ArrayList;
import java.util.List;

/**
 * Which replicas the health monitor probes, and with which healthcheck: every running replica of
 * a declared service that is not a job and not leaving, with the healthcheck kept with its own
 * revision (v2 may answer a path v1 lacks), else the manifest's; an http or tcp check goes where
 * the proxy's traffic goes ({@link Routes#address}).
 */
final class ProbeTargets {
    private final StateStore state;
    private final Removals removals;

    ProbeTargets(StateStore state, Removals removals) {
        this.state = state;
        this.removals = removals;
    }

    /** @param direct whether replicas are reached at their addresses ({@link Routes#address}) */
    List<ProbeTarget> of(DesiredState desired, ObservedState observed, boolean direct) {
        List<ProbeTarget> out = new ArrayList<>();
        for (ObservedContainer c : observed.containers()) {
            ServiceSpec s = desired.services().get(c.service());
            if (!c.isUp() || s == null || s.isJob() || removals.isLeaving(c.id())) {
                continue; // a leaving replica is out of the proxy already; probing it only makes noise
            }
            HealthCheck hc;
            try {
                hc = state.revision(c.service(), c.specHash()).map(r -> r.resolved().spec().healthcheck())
                        .orElse(s.healthcheck());
            } catch (StateUnreadable e) {
                hc = s.healthcheck();
            }
            String address = direct ? Routes.address(s, observed.networks(), c) : null;
            boolean needsPort = hc != null && hc.needsPort();
            out.add(address != null && needsPort
                    ? new ProbeTarget(c.id(), c.service(), c.revision(), hc, address, hc.port(), c.startedAt())
                    : new ProbeTarget(c.id(), c.service(), c.revision(), hc,
                            needsPort ? c.loopbackPorts().get(hc.port()) : null, c.startedAt()));
        }
        return out;
    }
}
