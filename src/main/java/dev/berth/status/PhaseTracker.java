package dev.berth.status;

import dev.berth.events.Event;
import dev.berth.events.EventLog;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Remembers each service's phase between passes: a change is logged and evented as
 * {@code "phase A → B: message"} (a Warning for Degraded, Failed and Paused), and every status
 * carries since when its phase holds. Used by the planning thread only.
 */
public final class PhaseTracker {
    private static final Logger LOG = Logger.getLogger(PhaseTracker.class);

    private final EventLog events;
    private final Map<String, Phase> phases = new HashMap<>();
    private final Map<String, Instant> since = new HashMap<>();

    public PhaseTracker(EventLog events) {
        this.events = events;
    }

    /** The status with its {@code since}; logs and events a phase change. */
    public ServiceStatus track(ServiceStatus st, Instant now) {
        Phase before = phases.put(st.name(), st.phase());
        if (before != st.phase()) {
            since.put(st.name(), now);
            String from = before == null ? "(new)" : before.name();
            LOG.infof("service=%s revision=%d phase %s → %s%s", st.name(), st.revision(), from, st.phase(),
                    st.message() == null ? "" : " (" + st.message() + ")");
            boolean bad = st.phase() == Phase.Degraded || st.phase() == Phase.Failed || st.phase() == Phase.Paused;
            events.record(st.name(), st.revision(), bad ? Event.WARNING : Event.NORMAL, "Phase" + st.phase(),
                    "phase " + from + " → " + st.phase() + (st.message() == null ? "" : ": " + st.message()));
        }
        return StatusView.since(st, since.get(st.name()));
    }

    /** Forgets services that are gone, so one declared again starts as (new). */
    public void retain(Set<String> services) {
        phases.keySet().retainAll(services);
        since.keySet().retainAll(services);
    }
}
