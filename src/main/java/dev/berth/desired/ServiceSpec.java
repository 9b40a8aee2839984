package dev.berth.desired;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A service as the manifest asks for it, after validation: paths are absolute, env files are
 * read and merged, quantities are parsed. Immutable; equal specs describe the same containers
 * except for what the engine resolves (the image id), which {@code plan.ResolvedService} adds.
 *
 * @param source         manifest file (relative to the manifests directory) that declared the service
 * @param healthcheck    null: a running replica counts as ready
 * @param restartBackoff null: the daemon's default crash-loop backoff
 * @param placement      where tasks may run on Swarm; ignored on one host, not in the revision hash
 */
public record ServiceSpec(
        String name,
        String source,
        Map<String, String> labels,
        String image,
        PullPolicy pullPolicy,
        int replicas,
        List<String> command,
        List<String> entrypoint,
        String workingDir,
        Map<String, String> env,
        List<SecretMount> secrets,
        List<ConfigMount> configs,
        List<PortSpec> ports,
        List<VolumeMount> volumes,
        List<String> networks,
        Map<String, List<String>> networkAliases,
        Resources resources,
        String user,
        Duration stopGracePeriod,
        String stopSignal,
        RestartPolicy restart,
        boolean init,
        List<Dependency> dependsOn,
        HealthCheck healthcheck,
        UpdatePolicy update,
        int revisionHistoryLimit,
        BackoffPolicy restartBackoff,
        Placement placement) {

    public ServiceSpec {
        labels = Map.copyOf(labels);
        command = List.copyOf(command);
        entrypoint = List.copyOf(entrypoint);
        env = Map.copyOf(env);
        secrets = List.copyOf(secrets);
        configs = List.copyOf(configs);
        ports = List.copyOf(ports);
        volumes = List.copyOf(volumes);
        networks = List.copyOf(networks);
        networkAliases = Map.copyOf(networkAliases);
        dependsOn = List.copyOf(dependsOn);
        placement = placement == null ? Placement.NONE : placement;
    }

    /** Without placement (one host has no use for it; tests and states not read from files). */
    public ServiceSpec(String name, String source, Map<String, String> labels, String image, PullPolicy pullPolicy,
            int replicas, List<String> command, List<String> entrypoint, String workingDir, Map<String, String> env,
            List<SecretMount> secrets, List<ConfigMount> configs, List<PortSpec> ports, List<VolumeMount> volumes,
            List<String> networks, Map<String, List<String>> networkAliases, Resources resources, String user,
            Duration stopGracePeriod, String stopSignal, RestartPolicy restart, boolean init, List<Dependency> dependsOn,
            HealthCheck healthcheck, UpdatePolicy update, int revisionHistoryLimit, BackoffPolicy restartBackoff) {
        this(name, source, labels, image, pullPolicy, replicas, command, entrypoint, workingDir, env, secrets, configs,
                ports, volumes, networks, networkAliases, resources, user, stopGracePeriod, stopSignal, restart, init,
                dependsOn, healthcheck, update, revisionHistoryLimit, restartBackoff, Placement.NONE);
    }

    /** A one-shot job runs to completion once per revision instead of being kept running. */
    public boolean isJob() {
        return restart != RestartPolicy.ALWAYS;
    }

    public ServiceSpec withReplicas(int n) {
        return new ServiceSpec(name, source, labels, image, pullPolicy, n, command, entrypoint, workingDir,
                env, secrets, configs, ports, volumes, networks, networkAliases, resources, user, stopGracePeriod, stopSignal, restart,
                init, dependsOn, healthcheck, update, revisionHistoryLimit, restartBackoff, placement);
    }

    /** The same containers probed another way (the healthcheck is not part of the revision hash). */
    public ServiceSpec withHealthcheck(HealthCheck hc) {
        return new ServiceSpec(name, source, labels, image, pullPolicy, replicas, command, entrypoint, workingDir,
                env, secrets, configs, ports, volumes, networks, networkAliases, resources, user, stopGracePeriod, stopSignal, restart,
                init, dependsOn, hc, update, revisionHistoryLimit, restartBackoff, placement);
    }

    /** The networks its containers join: the declared ones, or else the default network. */
    public List<String> joinedNetworks() {
        return networks.isEmpty() ? List.of(DesiredState.DEFAULT_NETWORK) : networks;
    }

    /** Host ports published by the containers themselves force stop-first replacement. */
    public boolean hasHostPorts() {
        return ports.stream().anyMatch(p -> !p.proxied());
    }
}
