package dev.berth.status;

import dev.berth.manifest.Problem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The latest status of every service and the list of rejected manifests, published by the
 * reconcile loop after each pass and read by the API. Readers get immutable snapshots.
 */
public final class StatusBoard {
    private volatile Map<String, ServiceStatus> services = Map.of();
    private volatile List<Problem> problems = List.of();
    private volatile String refusal;
    private volatile Instant lastPassAt;
    private volatile boolean engineReachable;
    private volatile String projectError;

    public void publish(Map<String, ServiceStatus> services, List<Problem> problems, String refusal, boolean engineReachable,
            String projectError) {
        this.services = Map.copyOf(new TreeMap<>(services));
        this.projectError = projectError;
        this.problems = List.copyOf(problems);
        this.refusal = refusal;
        this.engineReachable = engineReachable;
        this.lastPassAt = Instant.now();
    }

    public void refused(List<Problem> problems, String refusal) {
        this.problems = List.copyOf(problems);
        this.refusal = refusal;
        this.engineReachable = true;
        this.lastPassAt = Instant.now();
    }

    public void engineDown(List<Problem> problems) {
        this.problems = List.copyOf(problems);
        this.engineReachable = false;
        this.lastPassAt = Instant.now();
    }

    public List<ServiceStatus> services() {
        return new ArrayList<>(new TreeMap<>(services).values());
    }

    public Optional<ServiceStatus> service(String name) {
        return Optional.ofNullable(services.get(name));
    }

    public List<Problem> problems() {
        return problems;
    }

    /** Why the last pass refused to act on the manifests directory, or null. */
    public String refusal() {
        return refusal;
    }

    /** The last failed network or volume action that still fails, or null. */
    public String projectError() {
        return projectError;
    }

    public Instant lastPassAt() {
        return lastPassAt;
    }

    public boolean engineReachable() {
        return engineReachable;
    }
}
