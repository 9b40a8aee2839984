package dev.berth.observed;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A container that carries Berth's labels, as the engine reports it. The label fields
 * (service, revision, specHash, ordinal, source) were written by Berth at creation; the rest is
 * what the container is now, so the planner can notice hand edits. {@code loopbackPorts} maps
 * container ports to the ephemeral ports they are published on at 127.0.0.1 (proxy and probes).
 *
 * @param startedAt  null when never started
 * @param finishedAt null when it has not exited
 */
public record ObservedContainer(
        String id,
        String name,
        String service,
        int revision,
        String specHash,
        int ordinal,
        String source,
        ContainerState state,
        int exitCode,
        Instant startedAt,
        Instant finishedAt,
        String imageId,
        long memoryBytes,
        long nanoCpus,
        Set<String> networks,
        Map<Integer, Integer> loopbackPorts) {

    public ObservedContainer {
        networks = Set.copyOf(networks);
        loopbackPorts = Map.copyOf(loopbackPorts);
    }

    public boolean isUp() {
        return state.isUp();
    }
}
