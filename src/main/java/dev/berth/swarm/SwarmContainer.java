package dev.berth.swarm;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ContainerSpecConfig;
import com.github.dockerjava.api.model.ContainerSpecFile;
import com.github.dockerjava.api.model.ContainerSpecSecret;
import com.github.dockerjava.api.model.Driver;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.VolumeOptions;
import dev.berth.desired.ConfigMount;
import dev.berth.desired.ContainerTemplate;
import dev.berth.desired.Hardening;
import dev.berth.desired.Names;
import dev.berth.desired.SecretMount;
import dev.berth.desired.VolumeMount;
import dev.berth.desired.VolumeSpec;
import dev.berth.engine.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The container part of a Swarm task: the same fields, from the same {@link ContainerTemplate},
 * as {@code engine/ContainerBlueprint} gives a container on one host, where Swarm has them.
 *
 * <p>Swarm's words differ from a container's: {@code Command} replaces the image's ENTRYPOINT and
 * {@code Args} its CMD, so the manifest's {@code entrypoint} is {@code Command} and its
 * {@code command} is {@code Args}. The stop grace period is in nanoseconds (one host rounds it up
 * to whole seconds; Swarm keeps it exact). Secrets and configs are Swarm objects referred to by
 * name; the Engine API also wants their IDs, which only exist once the objects are created, so the
 * backend fills {@code SecretID}/{@code ConfigID} in. Config files are mode 0444 (read-only to
 * all, as the read-only bind mount of a 0644 copy is on one host).
 */
final class SwarmContainer {
    static final long CONFIG_MODE = 0444;

    private SwarmContainer() {}

    static ContainerSpec of(SwarmTarget target, Map<String, String> labels) {
        ContainerTemplate t = target.service().template();
        List<String> env = new ArrayList<>();
        t.env().forEach((k, v) -> env.add(k + "=" + v));
        ContainerSpec c = new HardenedContainerSpec(Hardening.DEFAULT)
                .withImage(target.service().imageRef())
                .withLabels(labels)
                .withEnv(env)
                .withStopGracePeriod(t.stopGracePeriod().toNanos())
                .withInit(t.init() ? Boolean.TRUE : null)
                .withMounts(mounts(target))
                .withSecrets(secrets(target))
                .withConfigs(configs(target))
                .withHealthCheck(SwarmHealthcheck.of(target.spec().healthcheck(), target.spec().isJob()));
        if (!t.entrypoint().isEmpty()) {
            c.withCommand(t.entrypoint());
        }
        if (!t.command().isEmpty()) {
            c.withArgs(t.command());
        }
        if (t.stopSignal() != null) {
            c.withStopSignal(t.stopSignal());
        }
        if (t.user() != null) {
            c.withUser(t.user());
        }
        if (t.workingDir() != null) {
            c.withDir(t.workingDir());
        }
        return c;
    }

    /**
     * Named volumes, each with the driver and options of its {@code kind: Volume}, so the node a
     * task lands on creates it as declared when it has none yet. Bind mounts do not map.
     */
    static List<Mount> mounts(SwarmTarget target) {
        List<Mount> out = new ArrayList<>();
        for (VolumeMount v : target.spec().volumes()) {
            if (!v.isNamed()) {
                throw new IllegalArgumentException("bind mount of " + v.hostPath() + " does not map to Swarm (SwarmCheck reports it)");
            }
            VolumeSpec declared = target.volumes().get(v.volume());
            Map<String, String> labels = new LinkedHashMap<>(declared == null ? Map.of() : declared.labels());
            labels.put(Labels.MANAGED, "true");
            labels.put(Labels.PROJECT, target.project());
            labels.put(Labels.NAME, v.volume());
            VolumeOptions options = new VolumeOptions().withLabels(labels);
            if (declared != null) {
                options.withDriverConfig(new Driver().withName(declared.driver()).withOptions(declared.driverOpts()));
            }
            out.add(new Mount().withType(MountType.VOLUME).withSource(Names.volume(target.project(), v.volume()))
                    .withTarget(v.target()).withReadOnly(v.readOnly()).withVolumeOptions(options));
        }
        return out;
    }

    static List<ContainerSpecSecret> secrets(SwarmTarget target) {
        List<ContainerSpecSecret> out = new ArrayList<>();
        for (SecretMount s : target.spec().secrets()) {
            out.add(new ContainerSpecSecret().withSecretName(target.files().secret(s.name()))
                    .withFile(new ContainerSpecFile().withName(s.target()).withUid(Integer.toString(s.uid()))
                            .withGid(Integer.toString(s.gid())).withMode((long) s.mode())));
        }
        return out;
    }

    static List<ContainerSpecConfig> configs(SwarmTarget target) {
        List<ContainerSpecConfig> out = new ArrayList<>();
        for (ConfigMount c : target.spec().configs()) {
            out.add(new ContainerSpecConfig().withConfigName(target.files().config(c.source()))
                    .withFile(new ContainerSpecFile().withName(c.target()).withUid("0").withGid("0").withMode(CONFIG_MODE)));
        }
        return out;
    }
}
