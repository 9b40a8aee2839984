package dev.berth.plan;

import dev.berth.desired.Dependency;
import dev.berth.desired.BackoffPolicy;
import dev.berth.desired.DesiredState;
import dev.berth.desired.HealthCheck;
import dev.berth.desired.IntOrPercent;
import dev.berth.desired.PortSpec;
import dev.berth.desired.UpdatePolicy;
import dev.berth.desired.NetworkSpec;
import dev.berth.desired.PullPolicy;
import dev.berth.desired.Resources;
import dev.berth.desired.RestartPolicy;
import dev.berth.desired.ServiceSpec;
import dev.berth.desired.VolumeSpec;
import dev.berth.observed.ContainerState;
import dev.berth.observed.ObservedContainer;
import dev.berth.observed.ObservedNetwork;
import dev.berth.observed.ObservedState;
import dev.berth.observed.ObservedVolume;
import dev.berth.observed.ReplicaHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.berth.desired.Names;
import dev.berth.desired.ResolvedService;

/** A small builder for planner inputs, and a one-line rendering of plans, so table rows stay short. */
public final class Fixtures {
    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    static final String P = "p";

    final Map<String, ServiceSpec> services = new HashMap<>();
    final Map<String, NetworkSpec> networks = new HashMap<>();
    final Map<String, VolumeSpec> volumes = new HashMap<>();
    final Set<String> held = new HashSet<>();
    final Map<String, ResolvedService> resolved = new HashMap<>();
    final List<ObservedContainer> containers = new ArrayList<>();
    final Map<String, ObservedNetwork> obsNetworks = new HashMap<>();
    final Map<String, ObservedVolume> obsVolumes = new HashMap<>();
    final Map<String, Integer> restarts = new HashMap<>();
    final Set<String> completed = new HashSet<>();
    final Map<String, Instant> retryAt = new HashMap<>();
    final Set<String> stoppedByOthers = new HashSet<>();
    final Map<String, ReplicaHealth> health = new HashMap<>();
    final Set<String> terminating = new HashSet<>();
    final Set<String> paused = new HashSet<>();

    public static ServiceSpec spec(String name, int replicas) {
        return build(name, replicas, RestartPolicy.ALWAYS, List.of(), List.of(), null, UpdatePolicy.DEFAULT);
    }

    public static ServiceSpec build(String name, int replicas, RestartPolicy restart, List<Dependency> deps, List<PortSpec> ports,
            HealthCheck hc, UpdatePolicy update) {
        return new ServiceSpec(name, name + ".yaml", Map.of(), "img:" + name, PullPolicy.MISSING, replicas, List.of(),
                List.of(), null, Map.of(), List.of(), List.of(), ports, List.of(), List.of(), Map.of(), Resources.NONE, null,
                Duration.ofSeconds(10), null, restart, false, deps, hc, update, 10, null);
    }

    static ServiceSpec job(String name, RestartPolicy policy) {
        return build(name, 1, policy, List.of(), List.of(), null, UpdatePolicy.DEFAULT);
    }

    /** {@code s} depending on each of {@code deps}; "db" waits for db to start, "db:healthy" for it to be healthy. */
    static ServiceSpec dependsOn(ServiceSpec s, String... deps) {
        List<Dependency> list = java.util.Arrays.stream(deps).map(d -> d.contains(":")
                ? new Dependency(d.substring(0, d.indexOf(':')), Dependency.Condition.parse(d.substring(d.indexOf(':') + 1)))
                : Dependency.started(d)).toList();
        return build(s.name(), s.replicas(), s.restart(), list, s.ports(), s.healthcheck(), s.update());
    }

    static ServiceSpec update(ServiceSpec s, String order, String surge, String unavailable) {
        UpdatePolicy d = UpdatePolicy.DEFAULT;
        return build(s.name(), s.replicas(), s.restart(), s.dependsOn(), s.ports(), s.healthcheck(), new UpdatePolicy(
                order.equals("stop-first") ? UpdatePolicy.Order.STOP_FIRST : UpdatePolicy.Order.START_FIRST,
                IntOrPercent.parse(surge), IntOrPercent.parse(unavailable), d.minReady(), d.progressDeadline(),
                d.failureAction(), d.monitor(), d.drain()));
    }

    public static ServiceSpec minReady(ServiceSpec s, Duration minReady) {
        UpdatePolicy u = s.update();
        return build(s.name(), s.replicas(), s.restart(), s.dependsOn(), s.ports(), s.healthcheck(), new UpdatePolicy(
                u.order(), u.maxSurge(), u.maxUnavailable(), minReady, u.progressDeadline(), u.failureAction(), u.monitor(),
                u.drain()));
    }

    /** {@code s} with one port served by Berth's proxy on {@code port}, to container port 8080. */
    public static ServiceSpec proxied(ServiceSpec s, int port) {
        return build(s.name(), s.replicas(), s.restart(), s.dependsOn(), List.of(new PortSpec(port, 8080, "http", PortSpec.Mode.PROXY)),
                s.healthcheck(), s.update());
    }

    /** {@code s} joined to {@code networks}, in that order. */
    public static ServiceSpec onNetworks(ServiceSpec s, String... networks) {
        return new ServiceSpec(s.name(), s.source(), s.labels(), s.image(), s.pullPolicy(), s.replicas(), s.command(),
                s.entrypoint(), s.workingDir(), s.env(), s.secrets(), s.configs(), s.ports(), s.volumes(),
                List.of(networks), s.networkAliases(), s.resources(), s.user(), s.stopGracePeriod(), s.stopSignal(),
                s.restart(), s.init(), s.dependsOn(), s.healthcheck(), s.update(), s.revisionHistoryLimit(),
                s.restartBackoff(), s.placement());
    }

    static ServiceSpec hostPort(ServiceSpec s) {
        return build(s.name(), s.replicas(), s.restart(), s.dependsOn(), List.of(new PortSpec(80, 80, "http", PortSpec.Mode.HOST)),
                s.healthcheck(), s.update());
    }

    static ServiceSpec checked(ServiceSpec s) {
        return build(s.name(), s.replicas(), s.restart(), s.dependsOn(), s.ports(), new HealthCheck(HealthCheck.Kind.TCP, "/",
                80, 0, List.of(), Duration.ofSeconds(2), Duration.ofSeconds(1), 3, Duration.ZERO), s.update());
    }

    /**
     * Desired at revision {@code rev} with spec hash "h{rev}"; the default network exists. Observed
     * containers made by {@link #container} carry the bare replica name and no recorded name, as
     * containers made before names had suffixes; {@link #incarnation} makes one as Berth does now.
     */
    Fixtures want(ServiceSpec s, int rev) {
        services.put(s.name(), s);
        resolved.put(s.name(), new ResolvedService(s, s.image(), "sha256:" + s.name() + rev, null, List.of(), "h" + rev, rev));
        obsNetworks.putIfAbsent("default", new ObservedNetwork("net-default", P + "_default", "default", true, 1));
        return this;
    }

    /** Desired but not resolved this pass (e.g. its image failed to pull). */
    Fixtures wantUnresolved(ServiceSpec s) {
        services.put(s.name(), s);
        obsNetworks.putIfAbsent("default", new ObservedNetwork("net-default", P + "_default", "default", true, 1));
        return this;
    }

    Fixtures running(String service, int rev, int ordinal) {
        return container(service, rev, ordinal, ContainerState.RUNNING, 0, null);
    }

    Fixtures container(String service, int rev, int ordinal, ContainerState state, int exit, Instant finished) {
        String id = "id-" + service + "-" + rev + "-" + ordinal;
        containers.add(new ObservedContainer(id,
                Names.replica(P, service, rev, ordinal), service, rev, "h" + rev, ordinal, service + ".yaml", state, exit,
                finished == null ? null : finished.minusSeconds(5), finished, "sha256:" + service + rev, 0, 0,
                Set.of("default"), Map.of()));
        if (state == ContainerState.RUNNING) {
            health.put(id, new ReplicaHealth(ReplicaHealth.State.READY, 0, NOW.minusSeconds(3600), null, null));
        }
        return this;
    }

    /** A replica that ran, exited, and whose start the engine then refused (exit code 128 is the engine's). */
    Fixtures refusedStart(String service, int rev, int ordinal, Instant finished) {
        String id = "id-" + service + "-" + rev + "-" + ordinal;
        String name = Names.replica(P, service, rev, ordinal);
        containers.add(new ObservedContainer(id, name, service, rev, "h" + rev, ordinal, service + ".yaml",
                ContainerState.EXITED, 128, finished.minusSeconds(5), finished, "sha256:" + service + rev, 0, 0,
                Set.of("default"), Map.of(), name, "failed to update store for object type *libnetwork.endpoint"));
        return this;
    }

    /** Running but not ready yet (probes have not passed). */
    Fixtures starting(String service, int rev, int ordinal) {
        running(service, rev, ordinal);
        health.put("id-" + service + "-" + rev + "-" + ordinal, ReplicaHealth.STARTING);
        return this;
    }

    Fixtures unhealthySince(String service, int rev, int ordinal, Instant since) {
        running(service, rev, ordinal);
        health.put("id-" + service + "-" + rev + "-" + ordinal,
                new ReplicaHealth(ReplicaHealth.State.UNHEALTHY, 3, null, since, "connection refused"));
        return this;
    }

    /**
     * Another incarnation of a replica (a successor), named with {@code suffix} as Berth names
     * new containers, started 10s ago, in the given probe state.
     */
    Fixtures incarnation(String service, int rev, int ordinal, String suffix, ReplicaHealth.State state) {
        String id = "id-" + service + "-" + rev + "-" + ordinal + "-" + suffix;
        String name = Names.container(P, service, rev, ordinal, suffix);
        containers.add(new ObservedContainer(id, name, service, rev, "h" + rev, ordinal, service + ".yaml",
                ContainerState.RUNNING, 0, NOW.minusSeconds(10), null, "sha256:" + service + rev, 0, 0, Set.of("default"),
                Map.of(), name));
        health.put(id, switch (state) {
            case STARTING -> ReplicaHealth.STARTING;
            case READY -> new ReplicaHealth(ReplicaHealth.State.READY, 0, NOW.minusSeconds(5), null, null);
            case UNHEALTHY -> new ReplicaHealth(ReplicaHealth.State.UNHEALTHY, 3, null, NOW.minusSeconds(2), "refused");
        });
        return this;
    }

    Fixtures terminating(String service, int rev, int ordinal) {
        running(service, rev, ordinal);
        terminating.add("id-" + service + "-" + rev + "-" + ordinal);
        return this;
    }

    Fixtures with(ObservedContainer c) {
        containers.add(c);
        return this;
    }

    PlanInput input() {
        return new PlanInput(P, new DesiredState(services, networks, volumes, held), resolved,
                new ObservedState(containers, obsNetworks, obsVolumes), health, terminating, paused, restarts, completed,
                retryAt, stoppedByOthers, BackoffPolicy.DEFAULT, NOW);
    }

    Plan plan() {
        return new Planner().plan(input());
    }

    /**
     * "create-network x", "create web/2@r1", "start p-web-r1-1#3", "remove p-web-r1-1", … ; a create
     * or remove that begins a replacement of an unhealthy replica ends in "#n" (its restart number).
     */
    static List<String> render(Plan plan) {
        return plan.actions().stream().map(a -> {
            if (a instanceof Action.CreateNetwork n) {
                return "create-network " + n.spec().name();
            } else if (a instanceof Action.RemoveNetwork n) {
                return "remove-network " + n.name();
            } else if (a instanceof Action.CreateVolume v) {
                return "create-volume " + v.spec().name();
            } else if (a instanceof Action.CreateContainer c) {
                return "create " + c.target().name() + "/" + c.ordinal() + "@r" + c.target().revision()
                        + (c.restartNumber() > 0 ? "#" + c.restartNumber() : "");
            } else if (a instanceof Action.StartContainer s) {
                return "start " + s.container().name() + "#" + s.restartNumber();
            } else {
                Action.RemoveContainer r = (Action.RemoveContainer) a;
                return "remove " + r.container().name() + (r.restartNumber() > 0 ? "#" + r.restartNumber() : "");
            }
        }).toList();
    }
}
