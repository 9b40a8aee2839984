package dev.berth.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import dev.berth.desired.ContainerTemplate;
import dev.berth.desired.DesiredState;
import dev.berth.desired.PortSpec;
import dev.berth.desired.ServiceSpec;
import dev.berth.desired.VolumeMount;
import dev.berth.desired.FileMount;
import dev.berth.desired.Hardening;
import dev.berth.desired.Names;
import dev.berth.desired.ResolvedService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates a resolved service into docker-java's create command for one replica. Docker's own
 * restart policy is off: Berth restarts containers itself, with backoff that shows in status.
 */
final class ContainerBlueprint {
    static final String LOOPBACK = "127.0.0.1";
    private final String project;
    private final String publishAddress;

    ContainerBlueprint(String project, String publishAddress) {
        this.project = project;
        this.publishAddress = publishAddress;
    }

    List<String> networks(ServiceSpec spec) {
        return networks(spec.networks());
    }

    private List<String> networks(List<String> declared) {
        return logical(declared).stream().map(n -> Names.network(project, n)).toList();
    }

    private static List<String> logical(List<String> declared) {
        return declared.isEmpty() ? List.of(DesiredState.DEFAULT_NETWORK) : declared;
    }

    /**
     * The DNS names of a replica on the {@code index}-th of its networks ({@link #networks} order):
     * the service's name, then the aliases the manifest gives for that network.
     */
    List<String> aliases(ServiceSpec spec, int index) {
        List<String> out = new ArrayList<>(List.of(spec.name()));
        out.addAll(spec.networkAliases().getOrDefault(logical(spec.networks()).get(index), List.of()));
        return out;
    }

    /**
     * @param image what to create from: the revision's pinned reference, or its image ID when a
     *              local tag has moved on (see {@link DockerEngine#createAndStart})
     * @param name  this incarnation's engine name, also kept in a label (a rename by hand is drift)
     */
    CreateContainerCmd create(DockerClient docker, ResolvedService target, String image, int ordinal, String name) {
        ServiceSpec spec = target.spec();
        // Every field that shapes the container comes from the template its revision hash was made of.
        ContainerTemplate t = target.template();
        Map<String, String> labels = new LinkedHashMap<>(t.labels());
        labels.put(Labels.MANAGED, "true");
        labels.put(Labels.PROJECT, project);
        labels.put(Labels.SERVICE, spec.name());
        labels.put(Labels.REVISION, Integer.toString(target.revision()));
        labels.put(Labels.SPEC_HASH, target.specHash());
        labels.put(Labels.ORDINAL, Integer.toString(ordinal));
        labels.put(Labels.SOURCE, spec.source());
        labels.put(Labels.IMAGE, t.image());
        labels.put(Labels.CONTAINER_NAME, name);

        // Mounts rather than legacy Binds: the engine refuses a missing bind source instead of
        // silently creating an empty directory (a state dir not shared with the engine shows up).
        List<Mount> mounts = new ArrayList<>();
        BindSources.verifyUnchanged(t.volumes());
        for (VolumeMount v : t.volumes()) {
            mounts.add(v.isNamed()
                    ? new Mount().withType(MountType.VOLUME).withSource(Names.volume(project, v.volume()))
                            .withTarget(v.target()).withReadOnly(v.readOnly())
                    : new Mount().withType(MountType.BIND).withSource(v.hostPath().toString())
                            .withTarget(v.target()).withReadOnly(v.readOnly()));
        }
        for (FileMount f : target.files()) {
            mounts.add(new Mount().withType(MountType.BIND).withSource(f.hostPath().toString()).withTarget(f.target())
                    .withReadOnly(true));
        }
        Ports bindings = new Ports();
        List<ExposedPort> exposed = new ArrayList<>();
        for (PortSpec p : t.ports()) {
            if (p.proxied()) {
                continue;
            }
            ExposedPort e = new ExposedPort(p.targetPort(), InternetProtocol.parse(p.transport()));
            exposed.add(e);
            bindings.bind(e, Ports.Binding.bindIpAndPort(publishAddress, p.port()));
        }
        // Proxied and probed ports: ephemeral host ports on loopback only, so the proxy and the
        // probes reach replicas on engines whose container IPs the host cannot route to.
        for (int port : t.loopbackPorts()) {
            ExposedPort e = ExposedPort.tcp(port);
            if (!exposed.contains(e)) {
                exposed.add(e);
            }
            bindings.bind(e, Ports.Binding.bindIp(LOOPBACK));
        }
        List<String> nets = networks(t.networks());
        HostConfig host = HostConfig.newHostConfig()
                .withMounts(mounts)
                .withSecurityOpts(HardeningOptions.securityOpts(Hardening.DEFAULT))
                .withCapDrop(HardeningOptions.capDrop(Hardening.DEFAULT))
                .withCapAdd(HardeningOptions.capAdd(Hardening.DEFAULT))
                .withPortBindings(bindings)
                .withRestartPolicy(RestartPolicy.noRestart())
                .withInit(t.init() ? Boolean.TRUE : null)
                .withNetworkMode(nets.get(0));
        if (t.resources().memoryBytes() > 0) {
            host.withMemory(t.resources().memoryBytes());
        }
        if (t.resources().nanoCpus() > 0) {
            host.withNanoCPUs(t.resources().nanoCpus());
        }
        List<String> env = new ArrayList<>();
        t.env().forEach((k, v) -> env.add(k + "=" + v));

        CreateContainerCmd cmd = docker.createContainerCmd(image)
                .withName(name)
                .withLabels(labels)
                .withEnv(env)
                .withExposedPorts(exposed)
                .withHostConfig(host)
                .withAliases(aliases(spec, 0))
                .withStopTimeout((int) Math.max(1, (t.stopGracePeriod().toMillis() + 999) / 1000));
        if (t.stopSignal() != null) {
            cmd.withStopSignal(t.stopSignal());
        }
        if (!t.command().isEmpty()) {
            cmd.withCmd(t.command());
        }
        if (!t.entrypoint().isEmpty()) {
            cmd.withEntrypoint(t.entrypoint());
        }
        if (t.user() != null) {
            cmd.withUser(t.user());
        }
        if (t.workingDir() != null) {
            cmd.withWorkingDir(t.workingDir());
        }
        return cmd;
    }
}
