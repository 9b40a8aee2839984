package dev.berth.swarm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.Labels;

/**
 * A service as the manifest declares it on Swarm: the spec to send but for its revision number
 * (which depends on what Swarm has, so {@link SwarmPlanner} puts it in), and the hash that tells
 * revisions apart.
 *
 * @param spec the spec as JSON, nulls dropped, carrying the {@code spec-hash} label and no
 *             {@code revision} label
 * @param hash over the task template only (what makes Swarm replace tasks), so replicas, update
 *             settings, ports and service labels change the service without a new revision, as
 *             scaling does not make a new revision on one host or in Kubernetes
 * @param rollbackAfter {@code progressDeadlineSeconds} when the failure action is rollback: an
 *             update Swarm still runs after that long is rolled back by Berth (Swarm has no
 *             deadline of its own: a task that never turns healthy or unhealthy would hold it for
 *             ever); null: no deadline (failure action pause, which Swarm cannot be asked to do)
 * @param dependsOn what must hold before the service is created (Swarm starts services in no order)
 */
public record DeclaredService(String name, ObjectNode spec, String hash, java.time.Duration rollbackAfter,
        java.util.List<dev.berth.desired.Dependency> dependsOn) {

    public DeclaredService {
        dependsOn = java.util.List.copyOf(dependsOn);
    }

    public DeclaredService(String name, ObjectNode spec, String hash) {
        this(name, spec, hash, null, java.util.List.of());
    }

    public DeclaredService(String name, ObjectNode spec, String hash, java.time.Duration rollbackAfter) {
        this(name, spec, hash, rollbackAfter, java.util.List.of());
    }

    /** The same with a service label set (not part of the task template: no new revision). */
    public DeclaredService withLabel(String key, String value) {
        ObjectNode s = spec.deepCopy();
        s.withObject("/Labels").put(key, value);
        return new DeclaredService(name, s, hash, rollbackAfter, dependsOn);
    }

    /** The spec with {@code revision} on the service and its containers. */
    public ObjectNode at(int revision) {
        ObjectNode s = spec.deepCopy();
        String r = Integer.toString(revision);
        s.withObject("/Labels").put(Labels.REVISION, r);
        s.withObject("/TaskTemplate/ContainerSpec/Labels").put(Labels.REVISION, r);
        return s;
    }
}
