package dev.berth.swarm;

import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.ResourceRequirements;
import com.github.dockerjava.api.model.ResourceSpecs;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import dev.berth.desired.Names;
import dev.berth.desired.Resources;
import dev.berth.engine.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A validated service as the Swarm service spec Berth would create or update it to: a pure
 * function of its {@link SwarmTarget}, so equal inputs give equal specs (what a drift check needs).
 * The spec must have passed {@link SwarmCheck} first: a bind mount, which the check refuses, makes
 * this throw {@link IllegalArgumentException}, as a secret or config without its object does.
 *
 * <p>Not wired into the daemon: nothing calls it yet (docs/swarm.md).
 */
public final class SwarmService {
    private SwarmService() {}

    public static ServiceSpec of(SwarmTarget target) {
        dev.berth.desired.ServiceSpec s = target.spec();
        Map<String, String> labels = labels(target);
        TaskSpec task = new TaskSpec()
                .withContainerSpec(SwarmContainer.of(target, new TreeMap<>(labels)))
                .withResources(resources(s.resources()))
                .withRestartPolicy(restart(target))
                .withNetworks(networks(target.project(), s))
                .withPlacement(SwarmPlacement.of(s.placement()));
        ServiceSpec spec = new ServiceSpec()
                .withName(SwarmNames.service(target.project(), s.name()))
                .withLabels(labels)
                .withMode(mode(s))
                .withTaskTemplate(task)
                .withEndpointSpec(SwarmPorts.of(s.ports()));
        if (!s.isJob()) {
            spec.withUpdateConfig(SwarmUpdates.update(s)).withRollbackConfig(SwarmUpdates.rollback(s));
        }
        return spec;
    }

    /**
     * Berth's labels, over the manifest's, sorted: on the service and on its containers, so a task's
     * container is told apart as on one host. No ordinal and no container name: Swarm numbers
     * and names tasks itself (its task slot plays the ordinal's part).
     */
    static Map<String, String> labels(SwarmTarget target) {
        dev.berth.desired.ServiceSpec s = target.spec();
        Map<String, String> labels = new TreeMap<>(target.service().template().labels());
        labels.put(Labels.MANAGED, "true");
        labels.put(Labels.PROJECT, target.project());
        labels.put(Labels.SERVICE, s.name());
        labels.put(Labels.REVISION, Integer.toString(target.service().revision()));
        labels.put(Labels.SPEC_HASH, target.service().specHash());
        labels.put(Labels.SOURCE, s.source());
        labels.put(Labels.IMAGE, s.image());
        return labels;
    }

    /** A service kept running is replicated; a job (restart on-failure or no) is a replicated job. */
    static ServiceModeConfig mode(dev.berth.desired.ServiceSpec s) {
        return s.isJob() ? new JobMode(s.replicas())
                : new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(s.replicas()));
    }

    /**
     * Limits only: the manifest has no reservations, and one host has none either. Reserving the
     * limit (Kubernetes' rule when only limits are given) would leave tasks pending on nodes that
     * run them fine today; a reservations field is for later.
     */
    static ResourceRequirements resources(Resources r) {
        ResourceSpecs limits = new ResourceSpecs();
        if (r.memoryBytes() > 0) {
            limits.withMemoryBytes(r.memoryBytes());
        }
        if (r.nanoCpus() > 0) {
            limits.withNanoCPUs(r.nanoCpus());
        }
        return new ResourceRequirements().withLimits(limits);
    }

    /**
     * {@code always} → any, {@code on-failure} → on-failure, {@code no} → none. Swarm waits a
     * fixed delay before each restart, not a doubling one: the backoff's {@code initial} is that
     * delay; its {@code max} and {@code reset} do not map. No attempt limit, as on one host.
     */
    static ServiceRestartPolicy restart(SwarmTarget target) {
        ServiceRestartCondition condition = switch (target.spec().restart()) {
            case ALWAYS -> ServiceRestartCondition.ANY;
            case ON_FAILURE -> ServiceRestartCondition.ON_FAILURE;
            case NO -> ServiceRestartCondition.NONE;
        };
        return new ServiceRestartPolicy().withCondition(condition)
                .withDelay(target.backoff().initial().toNanos()).withMaxAttempts(0L);
    }

    /**
     * The overlay networks {@code <project>_<net>} (the project's {@code default} when none is
     * named), each with the service's bare name and the manifest's aliases for it, so services
     * reach each other by the names they use on one host.
     */
    static List<NetworkAttachmentConfig> networks(String project, dev.berth.desired.ServiceSpec s) {
        List<String> declared = s.joinedNetworks();
        List<NetworkAttachmentConfig> out = new ArrayList<>();
        for (String n : declared) {
            List<String> aliases = new ArrayList<>(List.of(s.name()));
            aliases.addAll(s.networkAliases().getOrDefault(n, List.of()));
            out.add(new NetworkAttachmentConfig().withTarget(Names.network(project, n)).withAliases(aliases));
        }
        return out;
    }
}
