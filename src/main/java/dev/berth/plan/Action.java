package dev.berth.plan;

import dev.berth.desired.NetworkSpec;
import dev.berth.desired.VolumeSpec;
import dev.berth.observed.ObservedContainer;
import java.time.Duration;
import dev.berth.desired.ResolvedService;

/**
 * One changing call (or short sequence of calls) to the engine. Actions are executed in plan
 * order; each is idempotent in effect, so a pass interrupted half-way is finished by the next.
 */
public sealed interface Action {

    /** Service the action is for, or null for networks and volumes. */
    String service();

    /** Log text: what and why. */
    String describe();

    /**
     * Consecutive restart or replacement number this action begins for its replica (0: none).
     * The executor remembers it under {@link #restartKey()} and passes it back to the planner in
     * {@link PlanInput#restarts()}, which times the next attempt's backoff from it.
     */
    default int restartNumber() {
        return 0;
    }

    /** The {@link Planner#replicaKey} the restart number counts for, or null. */
    default String restartKey() {
        return null;
    }

    record CreateNetwork(NetworkSpec spec) implements Action {
        public String service() {
            return null;
        }

        public String describe() {
            return "create network " + spec.name();
        }
    }

    record RemoveNetwork(String name, String id) implements Action {
        public String service() {
            return null;
        }

        public String describe() {
            return "remove network " + name + " (no longer declared)";
        }
    }

    record CreateVolume(VolumeSpec spec) implements Action {
        public String service() {
            return null;
        }

        public String describe() {
            return "create volume " + spec.name();
        }
    }

    /**
     * Create, connect and start a new incarnation of replica {@code ordinal} of the service's
     * current revision; {@code restartNumber} counts consecutive replacements of an unhealthy
     * replica (0: not a replacement).
     */
    record CreateContainer(ResolvedService target, int ordinal, int restartNumber, String reason) implements Action {
        public CreateContainer(ResolvedService target, int ordinal, String reason) {
            this(target, ordinal, 0, reason);
        }

        public String service() {
            return target.name();
        }

        public String restartKey() {
            return Planner.replicaKey(target.name(), target.specHash(), ordinal);
        }

        public String describe() {
            return "create replica " + ordinal + " of revision " + target.revision() + " (" + reason + ")";
        }
    }

    /** Start an existing container again; {@code restartNumber} counts consecutive crash restarts (0: not a crash). */
    record StartContainer(ObservedContainer container, int restartNumber, String reason) implements Action {
        public String service() {
            return container.service();
        }

        public String restartKey() {
            return Planner.replicaKey(container.service(), container.specHash(), container.ordinal());
        }

        public String describe() {
            return "start " + container.name() + " (" + reason + ")";
        }
    }

    /**
     * Take a container out of the proxy, let in-flight requests finish (up to {@code drain}), stop
     * it (SIGTERM, SIGKILL after {@code grace}; null: the container's own stop timeout) and remove
     * it; never its named volumes. {@code restartNumber} &gt; 0 when the removal is the first half
     * of a stop-first replacement of an unhealthy replica (no surge allowed).
     */
    record RemoveContainer(ObservedContainer container, Duration grace, Duration drain, int restartNumber, String reason)
            implements Action {
        public RemoveContainer(ObservedContainer container, Duration grace, Duration drain, String reason) {
            this(container, grace, drain, 0, reason);
        }

        public String service() {
            return container.service();
        }

        public String restartKey() {
            return Planner.replicaKey(container.service(), container.specHash(), container.ordinal());
        }

        public String describe() {
            return "remove " + container.name() + " (" + reason + ")";
        }
    }
}
