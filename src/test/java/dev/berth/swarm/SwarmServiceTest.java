package dev.berth.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ContainerSpecConfig;
import com.github.dockerjava.api.model.ContainerSpecSecret;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.PortConfigProtocol;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.UpdateConfig;
import com.github.dockerjava.api.model.UpdateFailureAction;
import com.github.dockerjava.api.model.UpdateOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each row: a manifest field as a user writes it in web.yaml → the Swarm field it becomes. The
 * manifests go through the real loader, so a row also pins what the loader makes of the field.
 */
class SwarmServiceTest {
    static final long S = 1_000_000_000L;

    @TempDir
    Path root;

    record Row(String name, Consumer<SwarmFixture> files, String extra, Function<ServiceSpec, Object> field, Object expected) {
        Row(String name, String extra, Function<ServiceSpec, Object> field, Object expected) {
            this(name, f -> {}, extra, field, expected);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static ContainerSpec container(ServiceSpec s) {
        return s.getTaskTemplate().getContainerSpec();
    }

    static UpdateConfig update(ServiceSpec s) {
        return s.getUpdateConfig();
    }

    static Object updateShape(UpdateConfig u) {
        return List.of(u.getParallelism(), u.getOrder(), u.getDelay(), u.getMonitor(), u.getFailureAction());
    }

    static final String NETWORK = "apiVersion: berth.dev/v1\nkind: Network\nmetadata: {name: backend}\n";
    static final String VOLUME = "apiVersion: berth.dev/v1\nkind: Volume\nmetadata: {name: data, labels: {tier: db}}\n"
            + "spec: {driver: local, driverOpts: {type: none}}\n";

    static Stream<Row> rows() {
        return Stream.of(
                // identity and labels
                new Row("metadata.name → <project>_<service>", "", ServiceSpec::getName, "berth_web"),
                new Row("Berth's labels and metadata.labels on the service", "", s -> s.getLabels(), Map.of(
                        "team", "shop", "dev.berth.managed", "true", "dev.berth.project", "berth",
                        "dev.berth.service", "web", "dev.berth.revision", "7", "dev.berth.spec-hash", "0123456789abcdef",
                        "dev.berth.source", "web.yaml", "dev.berth.image", "localhost:5000/shop/web:1.4.2")),
                new Row("spec.labels win over metadata.labels, on the containers too", "  labels: {team: ops}\n",
                        s -> List.of(s.getLabels().get("team"), container(s).getLabels().get("team"),
                                container(s).getLabels().get("dev.berth.spec-hash")),
                        List.of("ops", "ops", "0123456789abcdef")),
                // mode
                new Row("replicas → replicated mode", "  replicas: 3\n",
                        s -> List.of(s.getMode().getMode(), s.getMode().getReplicated().getReplicas()),
                        List.of(com.github.dockerjava.api.model.ServiceMode.REPLICATED, 3L)),
                new Row("default replicas is 1", "", s -> s.getMode().getReplicated().getReplicas(), 1L),
                new Row("restart: on-failure → replicated job, every replica at once", "  replicas: 2\n  restart: on-failure\n",
                        s -> List.of(((JobMode) s.getMode()).totalCompletions(), ((JobMode) s.getMode()).maxConcurrent(),
                                s.getMode().getReplicated() == null),
                        List.of(2L, 2L, true)),
                new Row("a job has no update config (a new spec runs it again)", "  restart: \"no\"\n",
                        s -> Arrays.asList(s.getUpdateConfig(), s.getRollbackConfig()), Arrays.asList(null, null)),
                // container
                new Row("image → the pinned reference", "", s -> container(s).getImage(), SwarmFixture.IMAGE_REF),
                new Row("command → Args (Swarm's CMD)", "  command: [httpd, -f]\n",
                        s -> Arrays.asList(container(s).getArgs(), container(s).getCommand()), Arrays.asList(List.of("httpd", "-f"), null)),
                new Row("entrypoint → Command (Swarm's ENTRYPOINT)", "  entrypoint: [/init]\n",
                        s -> Arrays.asList(container(s).getCommand(), container(s).getArgs()), Arrays.asList(List.of("/init"), null)),
                new Row("env → KEY=VALUE, sorted", "  env: {B: x, A: 1}\n", s -> container(s).getEnv(), List.of("A=1", "B=x")),
                new Row("user", "  user: \"1000:1000\"\n", s -> container(s).getUser(), "1000:1000"),
                new Row("workingDir → Dir", "  workingDir: /srv\n", s -> container(s).getDir(), "/srv"),
                new Row("stopSignal", "  stopSignal: SIGQUIT\n", s -> container(s).getStopSignal(), "SIGQUIT"),
                new Row("stopGracePeriod → nanoseconds, exact", "  stopGracePeriod: 1500ms\n",
                        s -> container(s).getStopGracePeriod(), 1_500_000_000L),
                new Row("default stopGracePeriod 10s", "", s -> container(s).getStopGracePeriod(), 10 * S),
                new Row("init: true → Init", "  init: true\n", s -> container(s).getInit(), Boolean.TRUE),
                new Row("no init → the engine's default", "", s -> container(s).getInit(), null),
                new Row("hardening: all capabilities dropped, baseline added back, no new privileges", "",
                        s -> {
                            HardenedContainerSpec h = (HardenedContainerSpec) container(s);
                            return List.of(h.capabilityDrop(), h.capabilityAdd().contains("CAP_CHOWN"),
                                    h.capabilityAdd().contains("CAP_NET_RAW"), h.capabilityAdd().size(), h.noNewPrivileges());
                        },
                        List.of(List.of("ALL"), true, false, 13, true)),
                // healthcheck
                new Row("healthcheck.exec → CMD, timings in nanoseconds",
                        "  healthcheck: {exec: {command: [pg_isready, -q]}, interval: 5s, timeout: 2s, retries: 4, startPeriod: 10s}\n",
                        s -> {
                            var h = container(s).getHealthCheck();
                            return List.of(h.getTest(), h.getInterval(), h.getTimeout(), h.getRetries(), h.getStartPeriod());
                        },
                        List.of(List.of("CMD", "pg_isready", "-q"), 5 * S, 2 * S, 4, 10 * S)),
                new Row("healthcheck.http → wget, else curl, inside the container",
                        "  healthcheck: {http: {path: /healthz, port: 8080}}\n", s -> container(s).getHealthCheck().getTest(),
                        List.of("CMD-SHELL", "if command -v wget >/dev/null 2>&1; then wget -q -O /dev/null "
                                + "'http://127.0.0.1:8080/healthz'; else curl -fsS -o /dev/null 'http://127.0.0.1:8080/healthz'; fi")),
                new Row("healthcheck.http: a quote in the path stays one shell word",
                        "  healthcheck: {http: {path: \"/it's\", port: 80}}\n",
                        s -> container(s).getHealthCheck().getTest().get(1).contains("'http://127.0.0.1:80/it'\\''s'"), true),
                new Row("healthcheck.tcp → nc -z", "  healthcheck: {tcp: {port: 5432}}\n",
                        s -> container(s).getHealthCheck().getTest(), List.of("CMD-SHELL", "nc -z 127.0.0.1 5432")),
                new Row("healthcheck defaults: 2s, 1s, 3, 0s", "  healthcheck: {tcp: {port: 5432}}\n",
                        s -> {
                            var h = container(s).getHealthCheck();
                            return List.of(h.getInterval(), h.getTimeout(), h.getRetries(), h.getStartPeriod());
                        },
                        List.of(2 * S, 1 * S, 3, 0L)),
                new Row("no healthcheck → NONE (the image's check does not gate updates)", "",
                        s -> container(s).getHealthCheck().getTest(), List.of("NONE")),
                new Row("a job is never probed → NONE", "  restart: on-failure\n  healthcheck: {tcp: {port: 5432}}\n",
                        s -> container(s).getHealthCheck().getTest(), List.of("NONE")),
                // resources
                new Row("resources → limits; no reservations", "  resources: {memory: 256Mi, cpus: \"0.5\"}\n",
                        s -> Arrays.asList(s.getTaskTemplate().getResources().getLimits().getMemoryBytes(),
                                s.getTaskTemplate().getResources().getLimits().getNanoCPUs(),
                                s.getTaskTemplate().getResources().getReservations()),
                        Arrays.asList(268_435_456L, 500_000_000L, null)),
                new Row("no resources → no limits", "",
                        s -> Arrays.asList(s.getTaskTemplate().getResources().getLimits().getMemoryBytes(),
                                s.getTaskTemplate().getResources().getLimits().getNanoCPUs()),
                        Arrays.asList(null, null)),
                // restart
                new Row("restart: always → any, the default backoff's first wait as delay", "",
                        s -> List.of(s.getTaskTemplate().getRestartPolicy().getCondition(),
                                s.getTaskTemplate().getRestartPolicy().getDelay(), s.getTaskTemplate().getRestartPolicy().getMaxAttempts()),
                        List.of(ServiceRestartCondition.ANY, 1 * S, 0L)),
                new Row("restartBackoff.initial → delay", "  restartBackoff: {initial: 2s, max: 1m, reset: 5m}\n",
                        s -> s.getTaskTemplate().getRestartPolicy().getDelay(), 2 * S),
                new Row("restart: on-failure → on-failure", "  restart: on-failure\n",
                        s -> s.getTaskTemplate().getRestartPolicy().getCondition(), ServiceRestartCondition.ON_FAILURE),
                new Row("restart: no → none", "  restart: no\n",
                        s -> s.getTaskTemplate().getRestartPolicy().getCondition(), ServiceRestartCondition.NONE),
                // update and rollback
                new Row("update defaults → 1 at a time, start-first, monitor 30s, rollback", "",
                        s -> updateShape(update(s)), List.of(1L, UpdateOrder.START_FIRST, 0L, 30 * S, UpdateFailureAction.ROLLBACK)),
                new Row("maxSurge 25% of 10 → parallelism 3 (rounded up)", "  replicas: 10\n  update: {maxSurge: \"25%\"}\n",
                        s -> List.of(update(s).getParallelism(), update(s).getOrder()), List.of(3L, UpdateOrder.START_FIRST)),
                new Row("stop-first → parallelism from maxUnavailable", "  replicas: 4\n  update: {order: stop-first, maxUnavailable: 2}\n",
                        s -> List.of(update(s).getParallelism(), update(s).getOrder()), List.of(2L, UpdateOrder.STOP_FIRST)),
                new Row("stop-first, maxUnavailable 50% of 3 → 1 (rounded down)",
                        "  replicas: 3\n  update: {order: stop-first, maxUnavailable: \"50%\"}\n",
                        s -> update(s).getParallelism(), 1L),
                new Row("stop-first with maxUnavailable 0 → still 1 (0 is all at once to Swarm)",
                        "  update: {order: stop-first, maxUnavailable: 0}\n", s -> update(s).getParallelism(), 1L),
                new Row("start-first with maxSurge 0 → stop-first", "  replicas: 4\n  update: {maxSurge: 0, maxUnavailable: 2}\n",
                        s -> List.of(update(s).getParallelism(), update(s).getOrder()), List.of(2L, UpdateOrder.STOP_FIRST)),
                new Row("minReadySeconds → delay, and monitor at least that long",
                        "  update: {minReadySeconds: 45, monitorSeconds: 5}\n",
                        s -> List.of(update(s).getDelay(), update(s).getMonitor()), List.of(45 * S, 45 * S)),
                new Row("monitorSeconds → monitor", "  update: {minReadySeconds: 2, monitorSeconds: 60}\n",
                        s -> List.of(update(s).getDelay(), update(s).getMonitor()), List.of(2 * S, 60 * S)),
                new Row("failureAction: pause → pause", "  update: {failureAction: pause}\n",
                        s -> update(s).getFailureAction(), UpdateFailureAction.PAUSE),
                new Row("any failure fails the update", "", s -> update(s).getMaxFailureRatio(), 0f),
                new Row("rollback: the same batches, pauses when it fails", "  replicas: 10\n  update: {maxSurge: \"20%\", minReadySeconds: 3}\n",
                        s -> updateShape(s.getRollbackConfig()),
                        List.of(2L, UpdateOrder.START_FIRST, 3 * S, 30 * S, UpdateFailureAction.PAUSE)),
                new Row("a host-mode port makes updates stop-first", "  ports: [{port: 5353, targetPort: 53, protocol: udp, mode: host}]\n",
                        s -> List.of(update(s).getOrder(), s.getRollbackConfig().getOrder()),
                        List.of(UpdateOrder.STOP_FIRST, UpdateOrder.STOP_FIRST)),
                // ports
                new Row("a proxied port → ingress, tcp", "  ports: [{port: 8080, targetPort: 80}]\n",
                        s -> ports(s), List.of(List.of(8080, 80, PortConfigProtocol.TCP, PortConfig.PublishMode.ingress))),
                new Row("a tcp port → ingress, tcp", "  ports: [{port: 9000, targetPort: 9000, protocol: tcp}]\n",
                        s -> ports(s), List.of(List.of(9000, 9000, PortConfigProtocol.TCP, PortConfig.PublishMode.ingress))),
                new Row("mode: host → host, udp kept", "  ports: [{port: 5353, targetPort: 53, protocol: udp, mode: host}]\n",
                        s -> ports(s), List.of(List.of(5353, 53, PortConfigProtocol.UDP, PortConfig.PublishMode.host))),
                new Row("no ports → a VIP endpoint with none", "",
                        s -> List.of(s.getEndpointSpec().getMode(), s.getEndpointSpec().getPorts()), List.of(EndpointResolutionMode.VIP, List.of())),
                // networks
                new Row("no networks → <project>_default, the service's name as alias", "",
                        s -> attachments(s), List.of(List.of("berth_default", List.of("web")))),
                new Row("networks with aliases → <project>_<net> with the name and the aliases",
                        f -> f.write("net.yaml", NETWORK), "  networks: [{name: backend, aliases: [database]}]\n",
                        s -> attachments(s), List.of(List.of("berth_backend", List.of("web", "database")))),
                new Row("networks on the task, not the deprecated service field", "",
                        s -> s.getNetworks(), null),
                // placement
                new Row("placement → constraints as written, spread preferences in order",
                        "  placement:\n    constraints: [node.role==manager, \"node.labels.disk != hdd\"]\n"
                                + "    preferences: [{spread: node.labels.zone}, {spread: node.labels.rack}]\n",
                        s -> List.of(s.getTaskTemplate().getPlacement().getConstraints(),
                                ((SwarmPlacement) s.getTaskTemplate().getPlacement()).spreads()),
                        List.of(List.of("node.role==manager", "node.labels.disk != hdd"), List.of("node.labels.zone", "node.labels.rack"))),
                new Row("no placement → any node", "", s -> s.getTaskTemplate().getPlacement(), null),
                // files
                new Row("secret → the content-hashed object, owner and mode kept, default target",
                        f -> f.secret("db-pass", "s3cret"), "  secrets: [{name: db-pass, uid: 1000, gid: 1001, mode: 0400}]\n",
                        s -> secrets(s), List.of(List.of("berth_db-pass_" + SwarmNames.hashOf("s3cret"), "/run/secrets/db-pass", "1000", "1001", 0400L))),
                new Row("config → the content-hashed object at its target, 0444",
                        f -> f.write("web.conf", "listen 80\n"), "  configs: [{source: web.conf, target: /etc/web/web.conf}]\n",
                        s -> configs(s), List.of(List.of("berth_web.conf_" + SwarmNames.hashOf("listen 80\n"), "/etc/web/web.conf", "0", "0", 0444L))),
                new Row("named volume → a volume mount with its declared driver and labels",
                        f -> f.write("data.yaml", VOLUME), "  volumes: [{name: data, target: /data, readOnly: true}]\n",
                        s -> mounts(s), List.of(List.of(MountType.VOLUME, "berth_data", "/data", true, "local", Map.of("type", "none"), "db",
                                "berth"))));
    }

    static List<Object> ports(ServiceSpec s) {
        return s.getEndpointSpec().getPorts().stream().map(p -> (Object) List.of(p.getPublishedPort(), p.getTargetPort(),
                p.getProtocol(), p.getPublishMode())).toList();
    }

    static List<Object> attachments(ServiceSpec s) {
        return s.getTaskTemplate().getNetworks().stream().map(n -> (Object) List.of(n.getTarget(), n.getAliases())).toList();
    }

    static List<Object> secrets(ServiceSpec s) {
        return container(s).getSecrets().stream().map((ContainerSpecSecret x) -> (Object) List.of(x.getSecretName(),
                x.getFile().getName(), x.getFile().getUid(), x.getFile().getGid(), x.getFile().getMode())).toList();
    }

    static List<Object> configs(ServiceSpec s) {
        return container(s).getConfigs().stream().map((ContainerSpecConfig x) -> (Object) List.of(x.getConfigName(),
                x.getFile().getName(), x.getFile().getUid(), x.getFile().getGid(), x.getFile().getMode())).toList();
    }

    static List<Object> mounts(ServiceSpec s) {
        return container(s).getMounts().stream().map((Mount m) -> (Object) List.of(m.getType(), m.getSource(), m.getTarget(),
                m.getReadOnly(), m.getVolumeOptions().getDriverConfig().getName(), m.getVolumeOptions().getDriverConfig().getOptions(),
                m.getVolumeOptions().getLabels().get("tier"), m.getVolumeOptions().getLabels().get("dev.berth.project"))).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void manifestFieldBecomesSwarmField(Row row) {
        SwarmFixture f = new SwarmFixture(root);
        row.files().accept(f);
        assertThat(row.field().apply(f.web(row.extra()))).isEqualTo(row.expected());
    }

    @Test
    void equalInputsGiveEqualSpecs() {
        SwarmFixture f = new SwarmFixture(root);
        String extra = "  replicas: 2\n  env: {A: 1}\n  ports: [{port: 8080, targetPort: 80}]\n";
        assertThat(f.web(extra).toString()).isEqualTo(f.web(extra).toString());
    }

    @Test
    void aChangedSecretIsANewObjectSoTheSpecChanges() {
        SwarmFixture f = new SwarmFixture(root).secret("db-pass", "one");
        String extra = "  secrets: [{name: db-pass}]\n";
        String before = container(f.web(extra)).getSecrets().get(0).getSecretName();
        f.secret("db-pass", "two");
        String after = container(f.web(extra)).getSecrets().get(0).getSecretName();
        assertThat(before).isNotEqualTo(after).startsWith("berth_db-pass_");
    }

    @Test
    void aBindMountIsRefusedNotTranslated() {
        SwarmFixture f = new SwarmFixture(root).write("html/index.html", "hi");
        assertThatThrownBy(() -> f.web("  volumes: [{source: ./html, target: /srv}]\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not map to Swarm");
    }

    @Test
    void aSecretWithoutItsObjectIsAnError() {
        SwarmFixture f = new SwarmFixture(root).secret("db-pass", "x");
        f.write("web.yaml", SwarmFixture.service("web", "  secrets: [{name: db-pass}]\n"));
        var desired = f.load();
        SwarmTarget t = f.target(desired, "web");
        SwarmTarget without = new SwarmTarget(t.project(), t.service(), t.volumes(), t.defaultBackoff(), FileObjects.NONE);
        assertThatThrownBy(() -> SwarmService.of(without)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("db-pass");
    }

    @Test
    void networksAttachInManifestOrder() {
        SwarmFixture f = new SwarmFixture(root).write("net.yaml", NETWORK + "---\n" + NETWORK.replace("backend", "front"));
        List<NetworkAttachmentConfig> nets = f.web("  networks: [front, backend]\n").getTaskTemplate().getNetworks();
        assertThat(nets).extracting(NetworkAttachmentConfig::getTarget).containsExactly("berth_front", "berth_backend");
    }
}
