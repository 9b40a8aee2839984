package dev.berth.plan;

import static dev.berth.plan.Fixtures.NOW;
import static dev.berth.plan.Fixtures.P;
import static dev.berth.plan.Fixtures.dependsOn;
import static dev.berth.plan.Fixtures.job;
import static dev.berth.plan.Fixtures.render;
import static dev.berth.plan.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.desired.NetworkSpec;
import dev.berth.desired.Placement;
import dev.berth.desired.ServiceSpec;
import dev.berth.desired.RestartPolicy;
import dev.berth.desired.VolumeSpec;
import dev.berth.observed.ContainerState;
import dev.berth.observed.ObservedContainer;
import dev.berth.observed.ObservedNetwork;
import dev.berth.observed.ObservedVolume;
import dev.berth.observed.ReplicaHealth;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import dev.berth.desired.Names;

/** Table tests of the planner: desired + observed (+ restart memory) → actions, in order. */
class PlannerTest {

    static Arguments row(String name, Supplier<Fixtures> given, String... expected) {
        return Arguments.of(name, given, List.of(expected));
    }

    static Stream<Arguments> table() {
        return Stream.of(
                row("fresh host: network, then every replica", () -> {
                    Fixtures f = new Fixtures().want(spec("web", 2), 1);
                    f.obsNetworks.clear();
                    return f;
                }, "create-network default", "create web/1@r1", "create web/2@r1"),
                row("converged: nothing to do", () -> new Fixtures().want(spec("web", 2), 1).running("web", 1, 1).running("web", 1, 2)),
                row("scale up adds the missing ordinals", () -> new Fixtures().want(spec("web", 3), 1).running("web", 1, 1),
                        "create web/2@r1", "create web/3@r1"),
                row("scale down removes the highest ordinals", () -> new Fixtures().want(spec("web", 1), 1)
                        .running("web", 1, 1).running("web", 1, 2).running("web", 1, 3),
                        "remove p-web-r1-2", "remove p-web-r1-3"),
                row("rolling (surge 1, unavailable 0): first a new replica on top", () -> new Fixtures().want(spec("web", 2), 2)
                        .running("web", 1, 1).running("web", 1, 2), "create web/1@r2"),
                row("rolling: nothing while the new replica is not ready", () -> new Fixtures().want(spec("web", 2), 2)
                        .running("web", 1, 1).running("web", 1, 2).starting("web", 2, 1)),
                row("rolling: a ready new replica lets one old one go, and its leaving makes room for the next at once",
                        () -> new Fixtures().want(spec("web", 2), 2)
                        .running("web", 1, 1).running("web", 1, 2).running("web", 2, 1), "remove p-web-r1-2", "create web/2@r2"),
                row("rolling: a leaving replica does not count against the surge (Kubernetes' terminating pods)",
                        () -> new Fixtures().want(spec("web", 2), 2)
                        .running("web", 1, 1).terminating("web", 1, 2).running("web", 2, 1), "create web/2@r2"),
                row("rolling: … but no more than the surge beside the ones not leaving", () -> new Fixtures().want(spec("web", 2), 2)
                        .running("web", 1, 1).terminating("web", 1, 2).running("web", 2, 1).starting("web", 2, 2)),
                row("stop-first: a leaving replica counts until it is gone", () -> new Fixtures()
                        .want(Fixtures.update(spec("web", 2), "stop-first", "1", "0"), 2)
                        .running("web", 1, 1).terminating("web", 1, 2)),
                row("host-published ports: a leaving replica counts until it is gone (its port)", () -> new Fixtures()
                        .want(Fixtures.hostPort(spec("web", 1)), 2).terminating("web", 1, 1)),
                row("25%/25% of 4: a leaving replica makes room for the next new one at once", () -> new Fixtures()
                        .want(Fixtures.update(spec("web", 4), "start-first", "25%", "25%"), 2)
                        .running("web", 1, 1).running("web", 1, 2).running("web", 1, 3).terminating("web", 1, 4)
                        .starting("web", 2, 1), "create web/2@r2"),
                row("rolling: once it is gone the next new replica starts", () -> new Fixtures().want(spec("web", 2), 2)
                        .running("web", 1, 1).running("web", 2, 1), "create web/2@r2"),
                row("rolling: last step retires the last old replica", () -> new Fixtures().want(spec("web", 2), 2)
                        .running("web", 1, 1).running("web", 2, 1).running("web", 2, 2), "remove p-web-r1-1"),
                row("rolling 25%/25% of 4: one down and two up at once (5 not leaving, 3 available)", () -> new Fixtures()
                        .want(Fixtures.update(spec("web", 4), "start-first", "25%", "25%"), 2)
                        .running("web", 1, 1).running("web", 1, 2).running("web", 1, 3).running("web", 1, 4),
                        "remove p-web-r1-4", "create web/1@r2", "create web/2@r2"),
                row("stop-first: an old replica goes before a new one comes", () -> new Fixtures()
                        .want(Fixtures.update(spec("web", 2), "stop-first", "1", "0"), 2)
                        .running("web", 1, 1).running("web", 1, 2), "remove p-web-r1-2"),
                row("host-published ports force stop-first", () -> new Fixtures().want(Fixtures.hostPort(spec("web", 1)), 2)
                        .running("web", 1, 1), "remove p-web-r1-1"),
                row("an old replica that exited goes at once", () -> new Fixtures().want(spec("web", 2), 2)
                        .running("web", 1, 1).container("web", 1, 2, ContainerState.EXITED, 1, NOW.minusSeconds(1)),
                        "remove p-web-r1-2", "create web/1@r2", "create web/2@r2"),
                row("an unhealthy old replica goes at once", () -> new Fixtures().want(Fixtures.checked(spec("web", 2)), 2)
                        .running("web", 1, 1).unhealthySince("web", 1, 2, NOW), "remove p-web-r1-2", "create web/1@r2",
                        "create web/2@r2"),
                row("an old replica still starting (daemon restarted) waits for its probes", () -> new Fixtures()
                        .want(spec("web", 2), 2).running("web", 1, 1).starting("web", 1, 2), "create web/1@r2"),
                row("paused rollout: no step at all", () -> {
                    Fixtures f = new Fixtures().want(spec("web", 2), 2).running("web", 1, 1).running("web", 1, 2).running("web", 2, 1);
                    f.paused.add("web");
                    return f;
                }),
                row("paused rollout: an old replica that crashed is started again", () -> {
                    Fixtures f = new Fixtures().want(spec("web", 2), 2).running("web", 1, 1)
                            .container("web", 1, 2, ContainerState.EXITED, 1, NOW.minusSeconds(1)).running("web", 2, 1);
                    f.paused.add("web");
                    return f;
                }, "start p-web-r1-2#1"),
                row("a replica that stays unhealthy is replaced start-first: its successor comes first", () -> new Fixtures()
                        .want(Fixtures.checked(spec("web", 1)), 1).unhealthySince("web", 1, 1, NOW.minusSeconds(60)),
                        "create web/1@r1#1"),
                row("… but not before its grace (retries × interval) ran out", () -> new Fixtures()
                        .want(Fixtures.checked(spec("web", 1)), 1).unhealthySince("web", 1, 1, NOW.minusSeconds(1))),
                row("unhealthy, replacement 4 not yet due (grace 6s + backoff 4s after it turned unhealthy): nothing", () -> {
                    Fixtures f = new Fixtures().want(Fixtures.checked(spec("web", 1)), 1)
                            .unhealthySince("web", 1, 1, NOW.minusSeconds(8));
                    f.restarts.put("web/h1/1", 3);
                    return f;
                }),
                row("unhealthy, backoff elapsed: the successor is created as replacement 4", () -> {
                    Fixtures f = new Fixtures().want(Fixtures.checked(spec("web", 1)), 1)
                            .unhealthySince("web", 1, 1, NOW.minusSeconds(11));
                    f.restarts.put("web/h1/1", 3);
                    return f;
                }, "create web/1@r1#4"),
                row("successor still starting: the unhealthy one stays, nothing else", () -> new Fixtures()
                        .want(Fixtures.checked(spec("web", 1)), 1).unhealthySince("web", 1, 1, NOW.minusSeconds(60))
                        .incarnation("web", 1, 1, "b2c4d", ReplicaHealth.State.STARTING)),
                row("successor created, not started yet (its start is in flight): kept, the unhealthy one stays",
                        () -> new Fixtures().want(Fixtures.checked(spec("web", 1)), 1)
                                .unhealthySince("web", 1, 1, NOW.minusSeconds(60))
                                .with(new ObservedContainer("id-web-1-1-b2c4d", "p-web-r1-1-b2c4d", "web", 1, "h1", 1,
                                        "web.yaml", ContainerState.CREATED, 0, null, null, "sha256:web1", 0, 0,
                                        Set.of("default"), Map.of(), "p-web-r1-1-b2c4d")),
                        "start p-web-r1-1-b2c4d#0"),
                row("successor ready: the unhealthy one is removed", () -> new Fixtures()
                        .want(Fixtures.checked(spec("web", 1)), 1).unhealthySince("web", 1, 1, NOW.minusSeconds(60))
                        .incarnation("web", 1, 1, "b2c4d", ReplicaHealth.State.READY), "remove p-web-r1-1"),
                row("successor ready but not for minReady yet: the unhealthy one stays", () -> new Fixtures()
                        .want(Fixtures.minReady(Fixtures.checked(spec("web", 1)), Duration.ofSeconds(30)), 1)
                        .unhealthySince("web", 1, 1, NOW.minusSeconds(60))
                        .incarnation("web", 1, 1, "b2c4d", ReplicaHealth.State.READY)),
                row("successor unhealthy too: the older one goes, the successor waits its own backoff", () -> new Fixtures()
                        .want(Fixtures.checked(spec("web", 1)), 1).unhealthySince("web", 1, 1, NOW.minusSeconds(60))
                        .incarnation("web", 1, 1, "b2c4d", ReplicaHealth.State.UNHEALTHY), "remove p-web-r1-1"),
                row("all replicas unhealthy: one successor at a time", () -> new Fixtures()
                        .want(Fixtures.checked(spec("web", 3)), 1).unhealthySince("web", 1, 1, NOW.minusSeconds(60))
                        .unhealthySince("web", 1, 2, NOW.minusSeconds(60)).unhealthySince("web", 1, 3, NOW.minusSeconds(60)),
                        "create web/1@r1#1"),
                row("all unhealthy, two due: the one due first goes first, not the lowest ordinal", () -> {
                    // replica 1 was replaced before and turned unhealthy again; replica 2 has waited longer
                    Fixtures f = new Fixtures().want(Fixtures.checked(spec("web", 2)), 1)
                            .unhealthySince("web", 1, 1, NOW.minusSeconds(20)).unhealthySince("web", 1, 2, NOW.minusSeconds(60));
                    f.restarts.put("web/h1/1", 2);
                    return f;
                }, "create web/2@r1#1"),
                row("all replicas unhealthy: one at a time even when the surge allows more", () -> new Fixtures()
                        .want(Fixtures.update(Fixtures.checked(spec("web", 3)), "start-first", "3", "0"), 1)
                        .unhealthySince("web", 1, 1, NOW.minusSeconds(60))
                        .unhealthySince("web", 1, 2, NOW.minusSeconds(60)).unhealthySince("web", 1, 3, NOW.minusSeconds(60)),
                        "create web/1@r1#1"),
                row("all replicas unhealthy: the next waits while one is being replaced", () -> new Fixtures()
                        .want(Fixtures.update(Fixtures.checked(spec("web", 2)), "start-first", "2", "0"), 1)
                        .unhealthySince("web", 1, 1, NOW.minusSeconds(60))
                        .incarnation("web", 1, 1, "b2c4d", ReplicaHealth.State.STARTING)
                        .unhealthySince("web", 1, 2, NOW.minusSeconds(60))),
                row("all replicas unhealthy: the next waits while a superseded one is removed", () -> new Fixtures()
                        .want(Fixtures.update(Fixtures.checked(spec("web", 2)), "start-first", "2", "0"), 1)
                        .unhealthySince("web", 1, 1, NOW.minusSeconds(60))
                        .incarnation("web", 1, 1, "b2c4d", ReplicaHealth.State.UNHEALTHY)
                        .unhealthySince("web", 1, 2, NOW.minusSeconds(60)), "remove p-web-r1-1"),
                row("all replicas unhealthy: the next waits while one terminates", () -> new Fixtures()
                        .want(Fixtures.update(Fixtures.checked(spec("web", 2)), "start-first", "2", "0"), 1)
                        .terminating("web", 1, 1).incarnation("web", 1, 1, "b2c4d", ReplicaHealth.State.UNHEALTHY)
                        .unhealthySince("web", 1, 2, NOW.minusSeconds(60))),
                row("all replicas unhealthy: each waits its own backoff", () -> {
                    Fixtures f = new Fixtures().want(Fixtures.checked(spec("web", 2)), 1)
                            .unhealthySince("web", 1, 1, NOW.minusSeconds(7)).unhealthySince("web", 1, 2, NOW.minusSeconds(60));
                    f.restarts.put("web/h1/1", 2);
                    f.restarts.put("web/h1/2", 1);
                    return f;
                }, "create web/2@r1#2"),
                row("no surge (stop-first): the unhealthy replica goes first, counted as a replacement", () -> new Fixtures()
                        .want(Fixtures.update(Fixtures.checked(spec("web", 2)), "stop-first", "1", "0"), 1)
                        .unhealthySince("web", 1, 1, NOW.minusSeconds(60)).unhealthySince("web", 1, 2, NOW.minusSeconds(60)),
                        "remove p-web-r1-1#1"),
                row("no surge: its successor is created once it is gone, then the next waits", () -> new Fixtures()
                        .want(Fixtures.update(Fixtures.checked(spec("web", 2)), "stop-first", "1", "0"), 1)
                        .unhealthySince("web", 1, 2, NOW.minusSeconds(60)), "create web/1@r1"),
                row("an unhealthy replica is not replaced while engine errors back off", () -> {
                    Fixtures f = new Fixtures().want(Fixtures.checked(spec("web", 1)), 1)
                            .unhealthySince("web", 1, 1, NOW.minusSeconds(60));
                    f.retryAt.put("web", NOW.plusSeconds(5));
                    return f;
                }),
                row("two incarnations, neither probed yet (daemon restarted mid-replacement): both wait for the probes",
                        () -> new Fixtures().want(Fixtures.checked(spec("web", 1)), 1).starting("web", 1, 1)
                                .incarnation("web", 1, 1, "b2c4d", ReplicaHealth.State.STARTING)),
                row("a recovered predecessor and a successor now available: the older twin goes", () -> new Fixtures()
                        .want(Fixtures.checked(spec("web", 1)), 1).running("web", 1, 1)
                        .incarnation("web", 1, 1, "b2c4d", ReplicaHealth.State.READY), "remove p-web-r1-1"),
                row("a suffixed container under the name Berth gave it is adopted as it is", () -> new Fixtures()
                        .want(spec("web", 1), 1).incarnation("web", 1, 1, "b2c4d", ReplicaHealth.State.READY)),
                row("replicas 0 removes everything", () -> new Fixtures().want(spec("web", 0), 1).running("web", 1, 1),
                        "remove p-web-r1-1"),
                row("a crashed replica restarts at once the first time", () -> new Fixtures().want(spec("web", 1), 1)
                        .container("web", 1, 1, ContainerState.EXITED, 1, NOW.minusSeconds(1)),
                        "start p-web-r1-1#1"),
                row("a crash-looping replica waits its backoff (restart 4: 4s)", () -> {
                    Fixtures f = new Fixtures().want(spec("web", 1), 1).container("web", 1, 1, ContainerState.EXITED, 1, NOW.minusSeconds(3));
                    f.restarts.put("web/h1/1", 3);
                    return f;
                }),
                row("… and restarts once the backoff ran out", () -> {
                    Fixtures f = new Fixtures().want(spec("web", 1), 1).container("web", 1, 1, ContainerState.EXITED, 1, NOW.minusSeconds(5));
                    f.restarts.put("web/h1/1", 3);
                    return f;
                }, "start p-web-r1-1#4"),
                row("a crash-looping replica that someone else stopped starts at once, not as a crash", () -> {
                    Fixtures f = new Fixtures().want(spec("web", 1), 1).container("web", 1, 1, ContainerState.EXITED, 137, NOW.minusSeconds(1));
                    f.restarts.put("web/h1/1", 3);
                    f.stoppedByOthers.add("id-web-1-1");
                    return f;
                }, "start p-web-r1-1#0"),
                row("a replica the engine refused to start again starts again at once, not as a crash", () -> {
                    Fixtures f = new Fixtures().want(spec("web", 1), 1).refusedStart("web", 1, 1, NOW.minusSeconds(1));
                    f.restarts.put("web/h1/1", 3);
                    return f;
                }, "start p-web-r1-1#0"),
                row("… but not while the service waits out the engine error of that start", () -> {
                    Fixtures f = new Fixtures().want(spec("web", 1), 1).refusedStart("web", 1, 1, NOW.minusSeconds(1));
                    f.retryAt.put("web", NOW.plusSeconds(2));
                    return f;
                }),
                row("a replica someone else stopped stays stopped with restart: no", () -> {
                    Fixtures f = new Fixtures().want(Fixtures.build("web", 1, RestartPolicy.NO, List.of(), List.of(), null, dev.berth.desired.UpdatePolicy.DEFAULT), 1)
                            .container("web", 1, 1, ContainerState.EXITED, 137, NOW.minusSeconds(1));
                    f.stoppedByOthers.add("id-web-1-1");
                    return f;
                }),
                row("a removed replica is recreated", () -> new Fixtures().want(spec("web", 2), 1).running("web", 1, 2),
                        "create web/1@r1"),
                row("a created but never started container is started", () -> new Fixtures().want(spec("web", 1), 1)
                        .container("web", 1, 1, ContainerState.CREATED, 0, null), "start p-web-r1-1#0"),
                row("a dead container is replaced", () -> new Fixtures().want(spec("web", 1), 1)
                        .container("web", 1, 1, ContainerState.DEAD, 0, null), "remove p-web-r1-1", "create web/1@r1"),
                row("job that succeeded is left alone", () -> new Fixtures().want(job("migrate", RestartPolicy.NO), 1)
                        .container("migrate", 1, 1, ContainerState.EXITED, 0, NOW.minusSeconds(1))),
                row("job with restart no that failed is not retried", () -> new Fixtures().want(job("migrate", RestartPolicy.NO), 1)
                        .container("migrate", 1, 1, ContainerState.EXITED, 2, NOW.minusSeconds(1))),
                row("job with on-failure that failed is retried", () -> new Fixtures().want(job("migrate", RestartPolicy.ON_FAILURE), 1)
                        .container("migrate", 1, 1, ContainerState.EXITED, 2, NOW.minusSeconds(1)), "start p-migrate-r1-1#1"),
                row("a completed job whose container was removed is not run again", () -> {
                    Fixtures f = new Fixtures().want(job("migrate", RestartPolicy.NO), 1);
                    f.completed.add(Planner.jobKey("migrate", "h1", 1));
                    return f;
                }),
                row("a job's new revision runs again", () -> {
                    Fixtures f = new Fixtures().want(job("migrate", RestartPolicy.NO), 2)
                            .container("migrate", 1, 1, ContainerState.EXITED, 0, NOW.minusSeconds(1));
                    f.completed.add(Planner.jobKey("migrate", "h1", 1));
                    return f;
                }, "remove p-migrate-r1-1"),
                row("dependency not started: dependent waits, dependency is created", () -> new Fixtures()
                        .want(dependsOn(spec("web", 1), "db"), 1).want(spec("db", 1), 1), "create db/1@r1"),
                row("dependency running: dependent is created", () -> new Fixtures()
                        .want(dependsOn(spec("web", 1), "db"), 1).want(spec("db", 1), 1).running("db", 1, 1), "create web/1@r1"),
                row("dependency on a completed job is met", () -> new Fixtures()
                        .want(dependsOn(spec("web", 1), "migrate"), 1).want(job("migrate", RestartPolicy.NO), 1)
                        .container("migrate", 1, 1, ContainerState.EXITED, 0, NOW.minusSeconds(1)), "create web/1@r1"),
                row("healthy: a dependency that runs but is not ready yet holds the dependent back", () -> new Fixtures()
                        .want(dependsOn(spec("web", 1), "db:healthy"), 1).want(spec("db", 1), 1).starting("db", 1, 1)),
                row("healthy: a ready dependency lets the dependent be created", () -> new Fixtures()
                        .want(dependsOn(spec("web", 1), "db:healthy"), 1).want(spec("db", 1), 1).running("db", 1, 1),
                        "create web/1@r1"),
                row("healthy: only the dependency's current revision counts", () -> new Fixtures()
                        .want(dependsOn(spec("web", 1), "db:healthy"), 1).want(spec("db", 1), 2).running("db", 1, 1),
                        "create db/1@r2"),
                row("completed: a job still running holds the dependent back", () -> new Fixtures()
                        .want(dependsOn(spec("web", 1), "migrate:completed"), 1).want(job("migrate", RestartPolicy.NO), 1)
                        .running("migrate", 1, 1)),
                row("completed: a job whose replica completed lets the dependent be created", () -> {
                    Fixtures f = new Fixtures().want(dependsOn(spec("web", 1), "migrate:completed"), 1)
                            .want(job("migrate", RestartPolicy.NO), 1)
                            .container("migrate", 1, 1, ContainerState.EXITED, 0, NOW.minusSeconds(1));
                    f.completed.add(Planner.jobKey("migrate", "h1", 1));
                    return f;
                }, "create web/1@r1"),
                row("completed: a failed job never lets the dependent be created", () -> new Fixtures()
                        .want(dependsOn(spec("web", 1), "migrate:completed"), 1).want(job("migrate", RestartPolicy.NO), 1)
                        .container("migrate", 1, 1, ContainerState.EXITED, 2, NOW.minusSeconds(1))),
                row("an orphan (service no longer declared) is removed", () -> new Fixtures().want(spec("web", 1), 1)
                        .running("web", 1, 1).running("gone", 3, 1), "remove p-gone-r3-1"),
                row("containers of a held (broken, never good) file are kept", () -> {
                    Fixtures f = new Fixtures().want(spec("web", 1), 1).running("web", 1, 1).running("gone", 3, 1);
                    f.held.add("gone.yaml");
                    return f;
                }),
                row("an unresolved service is left exactly as it runs", () -> new Fixtures().wantUnresolved(spec("web", 3))
                        .running("web", 1, 1)),
                row("engine errors: no creates before retryAt", () -> {
                    Fixtures f = new Fixtures().want(spec("web", 2), 1).running("web", 1, 1);
                    f.retryAt.put("web", NOW.plusSeconds(5));
                    return f;
                }),
                row("drift: another image", () -> new Fixtures().want(spec("web", 1), 1).with(drifted(c -> new ObservedContainer(
                        c.id(), c.name(), c.service(), c.revision(), c.specHash(), c.ordinal(), c.source(), c.state(), 0,
                        null, null, "sha256:other", 0, 0, c.networks(), Map.of()))), "remove p-web-r1-1", "create web/1@r1"),
                row("drift: renamed", () -> new Fixtures().want(spec("web", 1), 1).with(drifted(c -> new ObservedContainer(
                        c.id(), "hand-renamed", c.service(), c.revision(), c.specHash(), c.ordinal(), c.source(), c.state(), 0,
                        null, null, c.imageId(), 0, 0, c.networks(), Map.of()))), "remove hand-renamed", "create web/1@r1"),
                row("drift: a suffixed container renamed by hand", () -> new Fixtures().want(spec("web", 1), 1)
                        .with(new ObservedContainer("id-x", "hand-renamed", "web", 1, "h1", 1, "web.yaml", ContainerState.RUNNING,
                                0, null, null, "sha256:web1", 0, 0, Set.of("default"), Map.of(),
                                Names.container(P, "web", 1, 1, "b2c4d"))), "remove hand-renamed", "create web/1@r1"),
                row("drift: memory changed with docker update", () -> new Fixtures().want(spec("web", 1), 1).with(drifted(c -> new ObservedContainer(
                        c.id(), c.name(), c.service(), c.revision(), c.specHash(), c.ordinal(), c.source(), c.state(), 0,
                        null, null, c.imageId(), 1 << 30, 0, c.networks(), Map.of()))), "remove p-web-r1-1", "create web/1@r1"),
                row("drift: disconnected from its network", () -> new Fixtures().want(spec("web", 1), 1).with(drifted(c -> new ObservedContainer(
                        c.id(), c.name(), c.service(), c.revision(), c.specHash(), c.ordinal(), c.source(), c.state(), 0,
                        null, null, c.imageId(), 0, 0, Set.of(), Map.of()))), "remove p-web-r1-1", "create web/1@r1"),
                row("duplicate ordinal: the stopped twin goes", () -> new Fixtures().want(spec("web", 1), 1).running("web", 1, 1)
                        .with(new ObservedContainer("zz-twin", "p-web-r1-1-twin", "web", 1, "h1", 1, "web.yaml",
                                ContainerState.EXITED, 0, null, null, "sha256:web1", 0, 0, Set.of("default"), Map.of())),
                        "remove p-web-r1-1-twin"),
                row("duplicate ordinal: a twin created and never started goes once the replica is available", () -> new Fixtures()
                        .want(spec("web", 1), 1).running("web", 1, 1)
                        .with(new ObservedContainer("zz-twin", "p-web-r1-1-twin", "web", 1, "h1", 1, "web.yaml",
                                ContainerState.CREATED, 0, null, null, "sha256:web1", 0, 0, Set.of("default"), Map.of())),
                        "remove p-web-r1-1-twin"),
                row("volumes are created, networks declared are created, unused managed networks removed last", () -> {
                    Fixtures f = new Fixtures().want(spec("web", 1), 1).running("web", 1, 1);
                    f.volumes.put("data", new VolumeSpec("data", "v.yaml", "local", Map.of(), Map.of()));
                    f.networks.put("backend", new NetworkSpec("backend", "n.yaml", "bridge", false, Map.of()));
                    f.obsNetworks.put("old", new ObservedNetwork("net-old", P + "_old", "old", true, 0));
                    f.obsNetworks.put("busy", new ObservedNetwork("net-busy", P + "_busy", "busy", true, 2));
                    f.obsNetworks.put("theirs", new ObservedNetwork("net-theirs", P + "_theirs", "theirs", false, 0));
                    return f;
                }, "create-network backend", "create-volume data", "remove-network old"),
                row("volumes nobody declares any more are never removed", () -> {
                    Fixtures f = new Fixtures().want(spec("web", 1), 1).running("web", 1, 1);
                    f.obsVolumes.put("old", new ObservedVolume(P + "_old", "old", true));
                    return f;
                }),
                row("a foreign network in the way is used, not replaced", () -> {
                    Fixtures f = new Fixtures().want(spec("web", 1), 1).running("web", 1, 1);
                    f.obsNetworks.put("default", new ObservedNetwork("x", P + "_default", "default", false, 1));
                    return f;
                }));
    }

    static ObservedContainer drifted(java.util.function.UnaryOperator<ObservedContainer> change) {
        Fixtures f = new Fixtures().running("web", 1, 1);
        return change.apply(f.containers.get(0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void plans(String name, Supplier<Fixtures> given, List<String> expected) {
        assertThat(render(given.get().plan())).containsExactlyElementsOf(expected);
    }

    @Test
    void backoffShowsInTheNoteAndWakesTheLoop() {
        Fixtures f = new Fixtures().want(spec("web", 1), 1).container("web", 1, 1, ContainerState.EXITED, 1, NOW.minusSeconds(3));
        f.restarts.put("web/h1/1", 3);
        Plan plan = f.plan();
        assertThat(plan.notes().get("web").backoffUntil()).isEqualTo(NOW.plusSeconds(1));
        assertThat(plan.notes().get("web").restarts()).isEqualTo(3);
        assertThat(plan.wakeAt()).isEqualTo(NOW.plusSeconds(1));
    }

    @Test
    void aReplicaThatRanLongEnoughStartsItsBackoffAfresh() {
        Fixtures f = new Fixtures().want(spec("web", 1), 1);
        f.with(new ObservedContainer("id", Names.replica(P, "web", 1, 1), "web", 1, "h1", 1, "web.yaml",
                ContainerState.EXITED, 1, NOW.minus(Duration.ofMinutes(30)), NOW.minusSeconds(1), "sha256:web1", 0, 0,
                Set.of("default"), Map.of()));
        f.restarts.put("web/h1/1", 9);
        assertThat(render(f.plan())).containsExactly("start p-web-r1-1#1");
    }

    @Test
    void anUnhealthyReplacementInBackoffShowsInTheNoteAndWakesTheLoop() {
        Fixtures f = new Fixtures().want(Fixtures.checked(spec("web", 1)), 1).unhealthySince("web", 1, 1, NOW.minusSeconds(8));
        f.restarts.put("web/h1/1", 3);
        Plan plan = f.plan();
        // grace 2s × 3 retries, plus delay(4) = 4s, after it turned unhealthy
        assertThat(plan.notes().get("web").backoffUntil()).isEqualTo(NOW.plusSeconds(2));
        assertThat(plan.notes().get("web").replacement()).contains("stayed unhealthy").contains("replacement 4");
        assertThat(plan.wakeAt()).isEqualTo(NOW.plusSeconds(2));
    }

    @Test
    void aReplicaThatRanLongEnoughBeforeTurningUnhealthyIsReplacedAfresh() {
        Fixtures f = new Fixtures().want(Fixtures.checked(spec("web", 1)), 1);
        f.with(new ObservedContainer("id", Names.replica(P, "web", 1, 1), "web", 1, "h1", 1, "web.yaml",
                ContainerState.RUNNING, 0, NOW.minus(Duration.ofMinutes(30)), null, "sha256:web1", 0, 0,
                Set.of("default"), Map.of()));
        f.health.put("id", new ReplicaHealth(ReplicaHealth.State.UNHEALTHY, 3, null, NOW.minusSeconds(7), "refused"));
        f.restarts.put("web/h1/1", 9);
        assertThat(render(f.plan())).containsExactly("create web/1@r1#1");
    }

    @Test
    void waitingOnADependencyShowsInTheNote() {
        Plan plan = new Fixtures().want(dependsOn(spec("web", 1), "db"), 1).want(spec("db", 1), 1).plan();
        assertThat(plan.notes().get("web").waitingFor()).isEqualTo(dev.berth.desired.Dependency.started("db"));
    }

    @Test
    void warnsAboutForeignObjectsInTheWay() {
        Fixtures f = new Fixtures().want(spec("web", 1), 1).running("web", 1, 1);
        f.obsNetworks.put("default", new ObservedNetwork("x", P + "_default", "default", false, 1));
        assertThat(f.plan().warnings()).singleElement().asString().contains("not created by Berth");
    }

    @Test
    void warnsThatPlacementIsIgnoredOnOneHostAndPlansAsWithout() {
        ServiceSpec placed = withPlacement(spec("web", 1), new Placement(List.of("node.role==manager"), List.of()));
        Plan plan = new Fixtures().want(placed, 1).plan();
        assertThat(plan.warnings()).containsExactly("service web: placement is for a Docker Swarm cluster; on one host it is ignored");
        assertThat(render(plan)).isEqualTo(render(new Fixtures().want(spec("web", 1), 1).plan()));
        assertThat(new Fixtures().want(spec("web", 1), 1).plan().warnings()).isEmpty();
    }

    static ServiceSpec withPlacement(ServiceSpec s, Placement p) {
        return new ServiceSpec(s.name(), s.source(), s.labels(), s.image(), s.pullPolicy(), s.replicas(), s.command(),
                s.entrypoint(), s.workingDir(), s.env(), s.secrets(), s.configs(), s.ports(), s.volumes(), s.networks(),
                s.networkAliases(), s.resources(), s.user(), s.stopGracePeriod(), s.stopSignal(), s.restart(), s.init(),
                s.dependsOn(), s.healthcheck(), s.update(), s.revisionHistoryLimit(), s.restartBackoff(), p);
    }

    @Test
    void dependencyOrderPutsDependenciesFirst() {
        var services = Map.of("a", dependsOn(spec("a", 1), "c"), "b", spec("b", 1), "c", dependsOn(spec("c", 1), "b"));
        assertThat(Planner.dependencyOrder(services)).containsExactly("b", "c", "a");
    }
}
