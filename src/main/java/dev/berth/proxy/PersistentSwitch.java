package dev.berth.proxy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * A {@link TrafficSwitch} that keeps the table it serves in a file ({@link RouteTable}): after
 * every apply that changed it, and after a drain took a member out. The data-plane process
 * applies that file at start; a control plane in role {@code all} reads its members back to seed
 * readiness. A failed write is logged and retried with the next change; serving never waits on it.
 */
public final class PersistentSwitch implements TrafficSwitch {
    private static final Logger LOG = Logger.getLogger(PersistentSwitch.class);

    private final TrafficSwitch inner;
    private final Path file;
    /** The table served now; guarded by this. */
    private List<Route> table = List.of();
    /** The table last written to the file, or null when the file is unknown or stale. */
    private List<Route> saved;

    public PersistentSwitch(TrafficSwitch inner, Path file) {
        this.inner = inner;
        this.file = file;
    }

    /** Applies the table kept in the file (none: nothing); answers the bind errors. */
    public synchronized Map<String, String> restore() {
        List<Route> last = RouteTable.load(file);
        saved = last;
        if (!last.isEmpty()) {
            LOG.infof("proxy restores its last table: %d services, %d members", last.size(),
                    RouteTable.members(last).size());
        }
        return apply(last);
    }

    /** The table served now (a drained replica is already out of it). */
    public synchronized List<Route> table() {
        return table;
    }

    @Override
    public synchronized Map<String, String> apply(List<Route> routes) {
        Map<String, String> errors = inner.apply(routes);
        table = List.copyOf(routes);
        save();
        return errors;
    }

    private void save() {
        if (table.equals(saved)) {
            return;
        }
        try {
            RouteTable.save(file, table);
            saved = table;
        } catch (IOException | RuntimeException e) {
            saved = null;
            LOG.warnf("cannot save the route table to %s (%s); a restart would serve an older one", file, e.getMessage());
        }
    }

    @Override
    public boolean isMember(String containerId) {
        return inner.isMember(containerId);
    }

    @Override
    public CompletableFuture<Void> drain(String containerId, Duration deadline) {
        synchronized (this) {
            table = RouteTable.without(table, containerId);
            save();
        }
        return inner.drain(containerId, deadline);
    }

    @Override
    public Map<Integer, long[]> counters() {
        return inner.counters();
    }

    @Override
    public void close() {
        inner.close();
    }
}
