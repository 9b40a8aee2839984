package dev.berth.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.resolve.SpecHash;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ContainerTemplateTest {

    static ServiceSpec spec(List<PortSpec> ports, HealthCheck hc) {
        return new ServiceSpec("web", "web.yaml", Map.of("team", "a"), "app:v1", PullPolicy.MISSING, 3, List.of("serve"),
                List.of("/init"), "/srv", Map.of("B", "2", "A", "1"), List.of(), List.of(), ports,
                List.of(new VolumeMount("data", null, "/data", false), new VolumeMount(null, Path.of("/host/src"), "/src", true)),
                List.of("backend"), Map.of(), new Resources(64L << 20, 500_000_000L), "1000", Duration.ofSeconds(7), null,
                RestartPolicy.parse("on-failure"), true, List.of(Dependency.started("db")), hc, UpdatePolicy.DEFAULT, 10, null);
    }

    static HealthCheck http(int port) {
        return new HealthCheck(HealthCheck.Kind.HTTP, "/healthz", port, 0, List.of(), Duration.ofSeconds(1),
                Duration.ofSeconds(1), 3, Duration.ZERO);
    }

    /** The map Resolver hashed before ContainerTemplate existed, field by field. */
    static Map<String, Object> before(ServiceSpec spec) {
        Map<String, Object> t = new TreeMap<>();
        t.put("image", spec.image());
        t.put("command", spec.command());
        t.put("entrypoint", spec.entrypoint());
        t.put("workingDir", spec.workingDir());
        t.put("env", new TreeMap<>(spec.env()));
        t.put("ports", spec.ports());
        t.put("volumes", List.of("volume:data:/data", "bind:/host/src:/src:ro"));
        t.put("networks", spec.networks());
        t.put("labels", new TreeMap<>(spec.labels()));
        t.put("resources", spec.resources());
        t.put("user", spec.user());
        t.put("stopGracePeriod", spec.stopGracePeriod().toMillis());
        t.put("restart", spec.restart().word());
        t.put("init", spec.init());
        return t;
    }

    @Test
    void upgradingBerthMakesNoNewRevisionOfAServiceProbedOnItsProxiedPort() {
        ServiceSpec s = spec(List.of(new PortSpec(80, 8080, "http", PortSpec.Mode.PROXY)), http(8080));
        assertThat(SpecHash.of(ContainerTemplate.of(s).hashInput())).isEqualTo(SpecHash.of(before(s)));
        ServiceSpec unprobed = spec(List.of(), null);
        assertThat(SpecHash.of(ContainerTemplate.of(unprobed).hashInput())).isEqualTo(SpecHash.of(before(unprobed)));
    }

    @Test
    void aProbePortNoProxiedPortPublishesShapesTheContainer() {
        ServiceSpec proxied = spec(List.of(new PortSpec(80, 8080, "http", PortSpec.Mode.PROXY)), http(8080));
        ServiceSpec separate = spec(List.of(new PortSpec(80, 8080, "http", PortSpec.Mode.PROXY)), http(9090));
        assertThat(ContainerTemplate.of(proxied).loopbackPorts()).containsExactly(8080);
        assertThat(ContainerTemplate.of(separate).loopbackPorts()).containsExactly(8080, 9090);
        assertThat(ContainerTemplate.of(separate).hashInput()).containsEntry("probePorts", List.of(9090));
        assertThat(SpecHash.of(ContainerTemplate.of(separate).hashInput()))
                .as("moving the probe to an unpublished port needs new containers")
                .isNotEqualTo(SpecHash.of(ContainerTemplate.of(proxied).hashInput()));
    }

    @Test
    void whatChangesNoContainerIsNotInTheTemplate() {
        ServiceSpec a = spec(List.of(), http(8080));
        HealthCheck slower = new HealthCheck(HealthCheck.Kind.HTTP, "/ready", 8080, 0, List.of(), Duration.ofSeconds(5),
                Duration.ofSeconds(2), 10, Duration.ofSeconds(30));
        ServiceSpec b = spec(List.of(), slower).withReplicas(7);
        assertThat(ContainerTemplate.of(b)).isEqualTo(ContainerTemplate.of(a));
    }

    @Test
    void aStopSignalShapesTheContainerAndOnlyWhenSet() {
        ServiceSpec plain = spec(List.of(), null);
        ServiceSpec quit = new ServiceSpec(plain.name(), plain.source(), plain.labels(), plain.image(), plain.pullPolicy(),
                plain.replicas(), plain.command(), plain.entrypoint(), plain.workingDir(), plain.env(), plain.secrets(),
                plain.configs(), plain.ports(), plain.volumes(), plain.networks(), plain.networkAliases(), plain.resources(), plain.user(),
                plain.stopGracePeriod(), "SIGQUIT", plain.restart(), plain.init(), plain.dependsOn(), plain.healthcheck(),
                plain.update(), plain.revisionHistoryLimit(), plain.restartBackoff());
        assertThat(ContainerTemplate.of(plain).hashInput()).doesNotContainKey("stopSignal");
        assertThat(ContainerTemplate.of(quit).hashInput()).containsEntry("stopSignal", "SIGQUIT");
        assertThat(SpecHash.of(ContainerTemplate.of(quit).hashInput()))
                .isNotEqualTo(SpecHash.of(ContainerTemplate.of(plain).hashInput()));
    }
}
