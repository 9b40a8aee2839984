package dev.berth.swarm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Swarm's updates as the rollout counters one host keeps ({@code berth_rollouts_total{service,
 * result}}: started, succeeded, failed), from a service's {@code UpdateStatus} as this pass sees
 * it beside what the last pass saw. An update is told apart by its start time, so one that
 * started and ended between two passes still counts as started and succeeded. As on one host, a
 * rollback or an update paused on failure counts as failed, once. {@code rolled_back} is not
 * read here: Berth marks a finished rollback in the same pass that sees it, and that write
 * clears Swarm's {@code UpdateStatus}, so the reconciler counts it with the mark. The first look
 * counts nothing: a Berth just started does not know what it missed. Pure, table-tested.
 */
public final class SwarmRollouts {
    private SwarmRollouts() {}

    /** A service's {@code UpdateStatus} as one pass saw it. */
    public record Seen(String state, Instant startedAt) {}

    /** The counters to raise, in order; none when nothing changed or {@code was} is null. */
    public static List<String> results(Seen was, Seen now) {
        if (was == null || now.state().isEmpty() || was.equals(now)) {
            return List.of();
        }
        boolean sameUpdate = Objects.equals(was.startedAt(), now.startedAt());
        boolean rollback = now.state().startsWith("rollback");
        List<String> out = new ArrayList<>();
        if (!rollback && !sameUpdate) {
            out.add("started");
        }
        boolean failedAlready = sameUpdate && (was.state().startsWith("rollback") || was.state().equals("paused"));
        switch (now.state()) {
            case "completed" -> out.add("succeeded");
            case "paused", "rollback_started", "rollback_paused", "rollback_completed" -> {
                if (!failedAlready) {
                    out.add("failed");
                }
            }
            default -> { }
        }
        return out;
    }
}
