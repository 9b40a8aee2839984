package dev.berth.proxy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What the control plane needs from the data plane: keep listeners and members equal to a route
 * table, take one replica out and drain it, count requests. {@link ProxyManager} is the data
 * plane itself (role {@code all}, or inside the {@code proxy} process); {@link RemoteProxy}
 * reaches a separate data-plane process over its admin channel (role {@code control}).
 */
public interface TrafficSwitch extends AutoCloseable {

    /**
     * Brings listeners and members in line with {@code routes} (the whole table: a service left
     * out loses its listeners). Answers, per service, why it is not served as asked (a port that
     * cannot be opened, a data plane that cannot be reached); empty when all is well. Idempotent,
     * called after every pass and every readiness change.
     */
    Map<String, String> apply(List<Route> routes);

    /** True while {@code containerId} is a member of any listener (false when that is unknown). */
    boolean isMember(String containerId);

    /**
     * Takes the replica out of every listener and completes once nothing is in flight to it, or
     * at {@code deadline}, whichever comes first. Never fails.
     */
    CompletableFuture<Void> drain(String containerId, Duration deadline);

    /** Requests and 5xx answers per listening port (empty when unknown). */
    Map<Integer, long[]> counters();

    /** Why the data plane cannot be told anything now, or null when it can; for readiness. */
    default String unreachable() {
        return null;
    }

    @Override
    void close();
}
