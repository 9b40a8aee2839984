package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.status.ServiceStatus;
import org.junit.jupiter.api.Test;

/**
 * A node dies (every process of its engine SIGKILLed, {@code .ci/lib/swarm.sh}
 * swarm_node_kill; not berth-sw1, which the test talks to): Swarm starts its tasks on the other nodes, and Berth's status says so: the
 * node is named down, its tasks no longer count as running, and the service is back to all its
 * replicas running on live nodes. The node is started again afterwards and rejoins. And a task's
 * container stopped by hand on its node.
 */
class SwarmNodeIT extends SwarmTestBase {
    @Test
    void aDeadNodesTasksAreRescheduledAndStatusShowsTheNodeDown() throws Exception {
        startBerth();
        write("web.yaml", SwarmBackendIT.web(SwarmBackendIT.V1, 3, "")); // Swarm spreads replicas over nodes itself
        ServiceStatus s = awaitAvailable("web", 1, 3);
        String victim = s.containers().stream().map(ServiceStatus.ReplicaStatus::node)
                .filter(n -> !n.equals("berth-sw1")).findFirst()
                .orElseThrow(() -> new AssertionError("no task off berth-sw1: " + s.containers()));
        String n = victim.substring("berth-sw".length());
        swarmLib("swarm_node_kill " + n);
        try {
            ServiceStatus down = awaitStatus("web", x -> x.message() != null
                    && x.message().contains("node " + victim + " is down"));
            assertThat(down.containers()).as("nothing on the dead node counts as ready")
                    .noneMatch(c -> victim.equals(c.node()) && c.ready());
            ServiceStatus back = awaitStatus("web", x -> x.replicas().running() == 3 && x.containers().stream()
                    .filter(c -> c.ready()).noneMatch(c -> victim.equals(c.node())));
            assertThat(back.revision()).as("rescheduling is not a new revision").isEqualTo(1);
        } finally {
            swarmLib("swarm_node_start " + n);
        }
        awaitStatus("web", x -> x.message() == null || !x.message().contains("is down"));
    }

    /**
     * An operator stops a task's container by hand on its node ({@code docker stop}): Swarm
     * starts a new task for the slot, Berth's status comes back to all replicas running, and
     * Berth does not touch the service (same revision, same spec version: a task is Swarm's to
     * replace, not drift).
     */
    @Test
    void aTaskContainerStoppedByHandIsReplacedBySwarmAndTheSpecIsLeftAlone() throws Exception {
        startBerth();
        write("web.yaml", SwarmBackendIT.web(SwarmBackendIT.V1, 2, ""));
        ServiceStatus s = awaitAvailable("web", 1, 2);
        long version = liveService("web").path("Version").path("Index").asLong();
        ServiceStatus.ReplicaStatus victim = s.containers().get(0);
        try (var node = nodeEngine(victim.node())) {
            node.stopContainerCmd(victim.id()).withTimeout(2).exec();
        }
        awaitStatus("web", x -> x.containers().stream().noneMatch(c -> c.id() != null && c.id().equals(victim.id())
                && c.ready()));
        ServiceStatus back = awaitAvailable("web", 1, 2);
        assertThat(back.containers()).as("a new task in the stopped one's place")
                .noneMatch(c -> victim.id().equals(c.id()) && c.ready());
        assertThat(liveService("web").path("Version").path("Index").asLong()).as("Berth sent nothing").isEqualTo(version);
    }
}
