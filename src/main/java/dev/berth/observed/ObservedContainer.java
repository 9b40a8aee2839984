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
 * @param name       the engine's name now (changes when renamed by hand)
 * @param givenName  the name Berth created it under (its label), or null for containers created
 *                   before Berth recorded it
 * @param startedAt  null when never started
 * @param finishedAt null when it has not exited
 * @param startError the engine's error from its last start attempt ({@code State.Error}), null when
 *                   that start went through; the engine clears it when the container runs again
 * @param addresses  its IPv4 address on each network it has one on, by the network's name as in
 *                   {@code networks} (the proxy's way in on a bridge network, {@code Routes})
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
        Map<Integer, Integer> loopbackPorts,
        String givenName,
        String startError,
        Map<String, String> addresses) {

    /** Without a recorded name (as containers created before Berth recorded it). */
    public ObservedContainer(String id, String name, String service, int revision, String specHash, int ordinal,
            String source, ContainerState state, int exitCode, Instant startedAt, Instant finishedAt, String imageId,
            long memoryBytes, long nanoCpus, Set<String> networks, Map<Integer, Integer> loopbackPorts) {
        this(id, name, service, revision, specHash, ordinal, source, state, exitCode, startedAt, finishedAt, imageId,
                memoryBytes, nanoCpus, networks, loopbackPorts, null, null, Map.of());
    }

    /** Without a start error: the last start went through. */
    public ObservedContainer(String id, String name, String service, int revision, String specHash, int ordinal,
            String source, ContainerState state, int exitCode, Instant startedAt, Instant finishedAt, String imageId,
            long memoryBytes, long nanoCpus, Set<String> networks, Map<Integer, Integer> loopbackPorts,
            String givenName) {
        this(id, name, service, revision, specHash, ordinal, source, state, exitCode, startedAt, finishedAt, imageId,
                memoryBytes, nanoCpus, networks, loopbackPorts, givenName, null, Map.of());
    }

    /** Without network addresses (tests, and containers on no network with one). */
    public ObservedContainer(String id, String name, String service, int revision, String specHash, int ordinal,
            String source, ContainerState state, int exitCode, Instant startedAt, Instant finishedAt, String imageId,
            long memoryBytes, long nanoCpus, Set<String> networks, Map<Integer, Integer> loopbackPorts,
            String givenName, String startError) {
        this(id, name, service, revision, specHash, ordinal, source, state, exitCode, startedAt, finishedAt, imageId,
                memoryBytes, nanoCpus, networks, loopbackPorts, givenName, startError, Map.of());
    }

    public ObservedContainer {
        networks = Set.copyOf(networks);
        loopbackPorts = Map.copyOf(loopbackPorts);
        addresses = Map.copyOf(addresses);
    }

    public boolean isUp() {
        return state.isUp();
    }

    /**
     * The engine refused to start again a replica that had run: its store, a network or a mount
     * failed (as after an engine restart, "failed to update store for object type
     * *libnetwork.endpoint"). The revision ran in it before, so this says nothing about the
     * revision; the exit code it shows (128 when the engine had none) is the engine's. A first
     * start that fails (a user or command the image lacks) is not this: it never ran.
     */
    public boolean startRefusedAfterRun() {
        return !isUp() && startError != null && startedAt != null;
    }
}
