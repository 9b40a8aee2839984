package dev.berth.desired;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything of a {@link ServiceSpec} that shapes one replica's container, and nothing else: the
 * one list of those fields. The revision hash is computed from {@link #hashInput} (resolve) and
 * the engine's create call is built from the same record (engine's ContainerBlueprint), so a
 * field cannot shape containers without also making a new revision. Replicas, the update policy
 * and the probes' path, timing and retries are not here: changing them changes no container.
 *
 * @param probePorts container ports that probes reach and no proxied port publishes already; they
 *                   are published on loopback, so a probe that moves to such a port needs new containers
 */
public record ContainerTemplate(String image, List<String> command, List<String> entrypoint, String workingDir,
        Map<String, String> env, List<PortSpec> ports, List<VolumeMount> volumes, List<String> networks,
        Map<String, List<String>> networkAliases,
        Map<String, String> labels, Resources resources, String user, Duration stopGracePeriod, String stopSignal,
        RestartPolicy restart,
        boolean init, Set<Integer> probePorts) {

    public ContainerTemplate {
        env = new TreeMap<>(env);
        labels = new TreeMap<>(labels);
        networkAliases = new TreeMap<>(networkAliases);
        probePorts = new TreeSet<>(probePorts);
    }

    public static ContainerTemplate of(ServiceSpec s) {
        Set<Integer> probePorts = new TreeSet<>();
        HealthCheck hc = s.healthcheck();
        if (hc != null && hc.needsPort()
                && s.ports().stream().noneMatch(p -> p.proxied() && p.targetPort() == hc.port())) {
            probePorts.add(hc.port());
        }
        return new ContainerTemplate(s.image(), s.command(), s.entrypoint(), s.workingDir(), s.env(), s.ports(),
                s.volumes(), s.networks(), s.networkAliases(), s.labels(), s.resources(), s.user(), s.stopGracePeriod(), s.stopSignal(), s.restart(),
                s.init(), probePorts);
    }

    /** Container ports published on loopback for the proxy and the probes. */
    public Set<Integer> loopbackPorts() {
        Set<Integer> out = new TreeSet<>(probePorts);
        ports.stream().filter(PortSpec::proxied).forEach(p -> out.add(p.targetPort()));
        return out;
    }

    /**
     * The hash input of these fields, key for key as revisions were hashed before this type
     * existed, so upgrading Berth makes no new revision of an unchanged service ({@code
     * probePorts}, {@code stopSignal} and {@code networkAliases} only appear when set). The resolver adds what only the host knows:
     * the image ID, file contents and the restart generation.
     */
    public Map<String, Object> hashInput() {
        Map<String, Object> t = new TreeMap<>();
        t.put("image", image);
        t.put("command", command);
        t.put("entrypoint", entrypoint);
        t.put("workingDir", workingDir);
        t.put("env", env);
        t.put("ports", ports);
        t.put("volumes", volumes.stream().map(ContainerTemplate::describe).toList());
        t.put("networks", networks);
        t.put("labels", labels);
        t.put("resources", resources);
        t.put("user", user);
        t.put("stopGracePeriod", stopGracePeriod.toMillis());
        t.put("restart", restart.word());
        t.put("init", init);
        if (stopSignal != null) {
            t.put("stopSignal", stopSignal);
        }
        if (!networkAliases.isEmpty()) {
            t.put("networkAliases", networkAliases);
        }
        if (!probePorts.isEmpty()) {
            t.put("probePorts", List.copyOf(probePorts));
        }
        return t;
    }

    private static String describe(VolumeMount v) {
        return (v.isNamed() ? "volume:" + v.volume() : "bind:" + v.hostPath()) + ":" + v.target() + (v.readOnly() ? ":ro" : "");
    }
}
