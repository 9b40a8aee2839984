package dev.berth.plan;

import dev.berth.observed.ContainerState;
import dev.berth.observed.ObservedContainer;
import dev.berth.observed.ReplicaHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Settles the containers that carry the same replica identity (service, spec hash, ordinal).
 * Normally there is one; there are two while an unhealthy replica waits for its successor
 * (start-first replacement), and stray twins after a crash of the daemon mid-create. Pure.
 *
 * <p>The keeper is the best-serving one: available, then ready, then starting, then unhealthy,
 * then not running; among equals the most recently started, then the lowest id (stable). A
 * container created and not started yet counts as starting: Berth creates a successor and starts
 * it in two engine calls, and a pass that looks in between must not take the successor for a
 * stray twin (it removed it, and the replacement of an unhealthy replica began again). Others
 * that are not running (exited, dead) go at once. Running others go once the keeper is available, or when the
 * keeper is unhealthy too (they are older and no better). While the keeper is still coming up
 * (starting, or ready for less than minReady) the running others wait: an unhealthy predecessor
 * may yet recover, and after a daemon restart no probe has told which one serves. Unhealthy
 * containers are never ready, and a ready one goes only when an available keeper stands for the
 * replica, so no removal here lowers the number of ready replicas of the service.
 */
final class Incarnations {
    private Incarnations() {}

    /**
     * @param keeper   the incarnation that stands for the replica
     * @param removals the others that go now, each with its reason
     * @param waiting  running others kept until the keeper is available (or unhealthy)
     */
    record Settled(ObservedContainer keeper, List<Removal> removals, List<ObservedContainer> waiting) {

        /** An unhealthy predecessor waits for its successor: a start-first replacement is in flight. */
        ObservedContainer unhealthyPredecessor(Map<String, ReplicaHealth> health) {
            return waiting.stream().filter(c -> health.get(c.id()) != null
                    && health.get(c.id()).state() == ReplicaHealth.State.UNHEALTHY).findFirst().orElse(null);
        }
    }

    record Removal(ObservedContainer container, String reason) {}

    static Settled settle(int ordinal, List<ObservedContainer> members, Map<String, ReplicaHealth> health,
            Duration minReady, Instant now) {
        List<ObservedContainer> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparingInt((ObservedContainer c) -> settleRank(c, health, minReady, now))
                .thenComparing(ObservedContainer::startedAt, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(ObservedContainer::id));
        ObservedContainer keeper = sorted.get(0);
        int keeperRank = settleRank(keeper, health, minReady, now);
        List<Removal> removals = new ArrayList<>();
        List<ObservedContainer> waiting = new ArrayList<>();
        for (ObservedContainer c : sorted.subList(1, sorted.size())) {
            int rank = settleRank(c, health, minReady, now);
            if (rank == DOWN) {
                removals.add(new Removal(c, "duplicate of replica " + ordinal));
            } else if (keeperRank == AVAILABLE) {
                removals.add(new Removal(c, rank == UNHEALTHY ? "replaced by " + keeper.name() + " after it stayed unhealthy"
                        : "duplicate of replica " + ordinal));
            } else if (keeperRank == UNHEALTHY) {
                removals.add(new Removal(c, "superseded by " + keeper.name() + ", also unhealthy"));
            } else {
                waiting.add(c);
            }
        }
        return new Settled(keeper, removals, List.copyOf(waiting));
    }

    static final int AVAILABLE = 0;
    static final int READY = 1;
    static final int STARTING = 2;
    static final int UNHEALTHY = 3;
    static final int DOWN = 4;

    private static int settleRank(ObservedContainer c, Map<String, ReplicaHealth> health, Duration minReady,
            Instant now) {
        return c.state() == ContainerState.CREATED ? STARTING : rank(c, health, minReady, now);
    }

    static int rank(ObservedContainer c, Map<String, ReplicaHealth> health, Duration minReady, Instant now) {
        if (!c.isUp()) {
            return DOWN;
        }
        ReplicaHealth h = health.get(c.id());
        if (h == null || h.state() == ReplicaHealth.State.STARTING) {
            return STARTING;
        }
        if (h.state() == ReplicaHealth.State.UNHEALTHY) {
            return UNHEALTHY;
        }
        return h.available(minReady, now) ? AVAILABLE : READY;
    }
}
