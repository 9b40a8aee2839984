package dev.berth.swarm;

import dev.berth.desired.BackoffPolicy;
import dev.berth.desired.ResolvedService;
import dev.berth.desired.ServiceSpec;
import dev.berth.desired.VolumeSpec;
import java.util.Map;

/**
 * Everything {@link SwarmService#of} needs to turn one service into a Swarm service spec.
 *
 * @param service        the validated spec with its image reference ({@code repo@sha256:…} when
 *                       pinned: every node then pulls the same bytes), spec hash and revision;
 *                       its rendered host files are not used (Swarm carries files as objects)
 * @param volumes        the declared volumes, for the driver a node creates a named volume with
 * @param defaultBackoff the daemon's backoff, for a service without {@code restartBackoff}
 * @param files          the secret and config objects of the service's files
 */
public record SwarmTarget(String project, ResolvedService service, Map<String, VolumeSpec> volumes,
        BackoffPolicy defaultBackoff, FileObjects files) {

    public SwarmTarget {
        volumes = Map.copyOf(volumes);
    }

    ServiceSpec spec() {
        return service.spec();
    }

    BackoffPolicy backoff() {
        return spec().restartBackoff() != null ? spec().restartBackoff() : defaultBackoff;
    }
}
