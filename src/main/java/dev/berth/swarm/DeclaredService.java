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
 */
public record DeclaredService(String name, ObjectNode spec, String hash) {

    /** The spec with {@code revision} on the service and its containers. */
    public ObjectNode at(int revision) {
        ObjectNode s = spec.deepCopy();
        String r = Integer.toString(revision);
        s.withObject("/Labels").put(Labels.REVISION, r);
        s.withObject("/TaskTemplate/ContainerSpec/Labels").put(Labels.REVISION, r);
        return s;
    }
}
