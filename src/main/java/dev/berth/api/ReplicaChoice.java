package dev.berth.api;

import dev.berth.status.ServiceStatus;
import dev.berth.status.ServiceStatus.ReplicaStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which replica's logs a request means. Pure. Without an ordinal: the lowest-ordinal replica of
 * the service's current revision that is running (ready ones first); failing that any running
 * replica; failing that any replica at all (a crashed or finished one, whose output is what one
 * wants to read), the current revision's first. With an ordinal: that replica, of the current
 * revision when there is one, else of the newest revision that has it.
 */
public final class ReplicaChoice {
    private ReplicaChoice() {}

    public static Optional<ReplicaStatus> of(ServiceStatus s, Integer ordinal) {
        return of(s.containers(), s.revision(), ordinal);
    }

    static Optional<ReplicaStatus> of(List<ReplicaStatus> replicas, int revision, Integer ordinal) {
        Comparator<ReplicaStatus> currentFirst = Comparator.comparing((ReplicaStatus r) -> r.revision() != revision)
                .thenComparing(Comparator.comparingInt(ReplicaStatus::revision).reversed());
        if (ordinal != null) {
            return replicas.stream().filter(r -> r.ordinal() == ordinal).min(currentFirst);
        }
        Comparator<ReplicaStatus> readyFirst = Comparator.comparing((ReplicaStatus r) -> !r.ready())
                .thenComparingInt(ReplicaStatus::ordinal);
        Optional<ReplicaStatus> current = replicas.stream()
                .filter(r -> r.revision() == revision && "running".equals(r.state())).min(readyFirst);
        if (current.isPresent()) {
            return current;
        }
        Optional<ReplicaStatus> running = replicas.stream().filter(r -> "running".equals(r.state()))
                .min(readyFirst.thenComparing(currentFirst));
        if (running.isPresent()) {
            return running;
        }
        return replicas.stream().min(currentFirst.thenComparingInt(ReplicaStatus::ordinal));
    }
}
