package dev.berth.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.status.ServiceStatus;
import dev.berth.swarm.SwarmView.LiveNode;
import dev.berth.swarm.SwarmView.LiveService;
import dev.berth.swarm.SwarmView.LiveTask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A Swarm service and its tasks as status: phase, replica counts, rollout and where each task runs. */
class SwarmStatusTest {
    @TempDir
    Path root;

    static final Map<String, LiveNode> NODES = Map.of("n1", new LiveNode("n1", "sw1", "ready", "active", "manager"),
            "n2", new LiveNode("n2", "sw2", "down", "active", "worker"));

    /** Tasks written as {@code slot:revision:state:desiredState:node}, separated by spaces. */
    static List<LiveTask> tasks(String spec) {
        List<LiveTask> out = new ArrayList<>();
        int i = 0;
        for (String t : spec.split(" ")) {
            String[] f = t.split(":");
            out.add(new LiveTask("task" + i++, "id1", Integer.parseInt(f[0]), f[4], f[2], f[3], Integer.parseInt(f[1]),
                    "c" + i, null, "failed".equals(f[2]) ? "task: non-zero exit (1)" : "", null));
        }
        return out;
    }

    ServiceStatus status(String updateState, int revision, String tasks, String hold) throws Exception {
        return status(updateState, revision, tasks, hold, "");
    }

    ServiceStatus status(String updateState, int revision, String tasks, String hold, String edit) throws Exception {
        var spec = new SwarmFixture(root).write("web.yaml", SwarmFixture.service("web", "  replicas: 2\n")).load()
                .services().get("web");
        var live = new LiveService("id1", 5, "web", SwarmPlannerTest.stored("h1", revision, edit),
                SwarmPlannerTest.stored("h0", revision - 1, ""), updateState, "", null, null);
        return SwarmStatus.of(spec, "sha256:m", live, tasks(tasks), NODES,
                hold == null ? null : new SwarmHold(SwarmHold.Kind.valueOf(hold.toUpperCase()), "held"), null, null,
                SwarmPlannerTest.NOW);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # why                              | update state       | tasks                                                      | hold   | phase       | running | updated
            both running                       | completed          | 1:2:running:running:n1 2:2:running:running:n1              | -      | Available   | 2       | 2
            one starting (not healthy yet)     | -                  | 1:2:running:running:n1 2:2:starting:running:n1             | -      | Progressing | 1       | 1
            Swarm updating                     | updating           | 1:1:running:running:n1 2:2:running:running:n1              | -      | Progressing | 2       | 1
            all new, Swarm still monitoring    | updating           | 1:2:running:running:n1 2:2:running:running:n1              | -      | Available   | 2       | 2
            shut down tasks do not count       | completed          | 1:2:running:running:n1 2:2:running:running:n1 2:1:shutdown:shutdown:n1 | - | Available | 2 | 2
            a failed task and no update        | completed          | 1:2:running:running:n1 2:2:failed:running:n1               | -      | Degraded    | 1       | 1
            rolled back, held                  | rollback_completed | 1:2:running:running:n1 2:2:running:running:n1              | rolled_back | RolledBack  | 2       | 2
            rolling back to a kept template    | updating           | 1:1:running:running:n1 2:2:running:running:n1              | rolled_back | Progressing | 2       | 1
            kept template up, Swarm monitoring | updating           | 1:2:running:running:n1 2:2:running:running:n1              | rolled_back | RolledBack  | 2       | 2
            paused, held                       | paused             | 1:2:running:running:n1 2:2:running:running:n1              | paused | Paused      | 2       | 2
            """)
    void rows(String why, String updateState, String tasks, String hold, String phase, int running, int updated)
            throws Exception {
        ServiceStatus s = status(updateState == null ? "" : updateState, 2, tasks, hold);
        assertThat(s.phase().name()).as(why).isEqualTo(phase);
        assertThat(s.replicas().running()).as(why + ": running").isEqualTo(running);
        assertThat(s.replicas().updated()).as(why + ": updated").isEqualTo(updated);
        assertThat(s.revision()).isEqualTo(2);
    }

    /**
     * {@code failureAction: pause} with {@code progressDeadlineSeconds: 60}: Swarm cannot be asked
     * to pause, so an update still running past the deadline is Degraded and says why; with
     * {@code rollback} the planner rolls it back instead, and the status stays Progressing.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # why                                   | failure action | started s ago | update state | phase
            updating past the deadline              | pause          | 90            | updating     | Degraded
            updating within it                      | pause          | 30            | updating     | Progressing
            rollback: Berth rolls back, not status  | rollback       | 90            | updating     | Progressing
            completed long after it started         | pause          | 900           | completed    | Progressing
            """)
    void anUpdatePastItsDeadlineUnderPauseIsDegraded(String why, String action, long ago, String state, String phase)
            throws Exception {
        var spec = new SwarmFixture(root).write("web.yaml", SwarmFixture.service("web", "  replicas: 2\n"
                + "  update: {failureAction: " + action + ", progressDeadlineSeconds: 60}\n")).load().services().get("web");
        var live = new LiveService("id1", 5, "web", SwarmPlannerTest.stored("h1", 2, ""),
                SwarmPlannerTest.stored("h0", 1, ""), state, "", SwarmPlannerTest.NOW.minusSeconds(ago), null);
        ServiceStatus s = SwarmStatus.of(spec, "sha256:m", live, tasks("1:1:running:running:n1 2:2:running:running:n1"),
                NODES, null, null, null, SwarmPlannerTest.NOW);
        assertThat(s.phase().name()).as(why).isEqualTo(phase);
        if (phase.equals("Degraded")) {
            assertThat(s.message()).startsWith("progress deadline exceeded: revision 2 not complete 60 s after")
                    .contains("2 of 2 replicas running");
        }
    }

    @Test
    void eachTaskShowsItsSlotRevisionAndNodeAndOneOnADownNodeDoesNotCount() throws Exception {
        ServiceStatus s = status("completed", 2, "1:2:running:running:n1 2:2:running:running:n2", null);
        assertThat(s.containers()).extracting(ServiceStatus.ReplicaStatus::ordinal).containsExactly(1, 2);
        assertThat(s.containers()).extracting(ServiceStatus.ReplicaStatus::node).containsExactly("sw1", "sw2");
        assertThat(s.containers()).extracting(ServiceStatus.ReplicaStatus::health).containsExactly("READY", null);
        assertThat(s.containers()).extracting(ServiceStatus.ReplicaStatus::state).containsExactly("running", "node down");
        assertThat(s.replicas().running()).as("the task on the down node says running; it does not count").isEqualTo(1);
        assertThat(s.phase().name()).isEqualTo("Progressing");
        assertThat(s.message()).contains("1 of 2 replicas running").contains("node sw2 is down");
    }

    @Test
    void theRolloutIsSwarmsUpdateStatusOrTheRollbackMark() throws Exception {
        ServiceStatus s = status("completed", 2, "1:2:running:running:n1", "rolled_back", "from=h3/3");
        assertThat(s.rollout().state()).as("held after a rollback, whatever Swarm's last update").isEqualTo("ROLLED_BACK");
        assertThat(s.rollout().fromRevision()).as("the marked revision").isEqualTo(3);
        assertThat(s.rollout().toRevision()).isEqualTo(2);
        assertThat(status("updating", 2, "1:2:running:running:n1", "rolled_back", "from=h3/3").rollout().state())
                .as("the update to a kept template (the operator's rollback to it) is under way").isEqualTo("ROLLING_BACK");
        assertThat(status("updating", 2, "1:2:running:running:n1", null).rollout().state()).isEqualTo("PROGRESSING");
        assertThat(status("updating", 2, "1:2:running:running:n1", null).rollout().fromRevision()).isEqualTo(1);
        assertThat(status("", 2, "1:2:running:running:n1", null).rollout()).isNull();
    }

    @Test
    void theRevisionsAreThePreviousTheRolledBackAndTheCurrentSpec() {
        var rolledBack = new LiveService("id1", 5, "web", SwarmPlannerTest.stored("h1", 3, "from=h2/4"),
                SwarmPlannerTest.stored("h0", 2, ""), "completed", "", null, null);
        assertThat(SwarmStatus.revisions(rolledBack, List.of())).extracting(r -> r.revision() + " " + r.specHash() + " " + r.outcome())
                .containsExactly("2 h0 Superseded", "3 h1 Restored by rollback", "4 h2 Rolled back");
        var repaired = new LiveService("id1", 5, "web", SwarmPlannerTest.stored("h1", 3, ""),
                SwarmPlannerTest.stored("h1", 3, ""), "updating", "", null, null);
        assertThat(SwarmStatus.revisions(repaired, List.of())).extracting(r -> r.revision() + " " + r.outcome())
                .as("a previous spec of the same revision is not another revision").containsExactly("3 Progressing");
    }

    @Test
    void keptTemplatesAreRevisionsToo() {
        var live = new LiveService("id1", 5, "web", SwarmPlannerTest.stored("h1", 3, ""),
                SwarmPlannerTest.stored("h0", 2, ""), "completed", "", null, null);
        var created = java.time.Instant.parse("2026-12-04T10:00:00Z");
        var kept = List.of(new KeptTemplate("web", 1, "hx", "app:x", "c1", "p_web.r1_a", created, ""),
                new KeptTemplate("web", 3, "h1", "app:1", "c3", "p_web.r3_a", created, ""));
        assertThat(SwarmStatus.revisions(live, kept))
                .extracting(r -> r.revision() + " " + r.specHash() + " " + r.outcome() + " " + r.createdAt())
                .containsExactly("1 hx Superseded " + created, "2 h0 Superseded null", "3 h1 Complete " + created);
    }

    @Test
    void aPinnedImageShowsItsDigestWithoutTheTag() {
        assertThat(SwarmStatus.digest("localhost:5000/app:v1@sha256:ab")).isEqualTo("localhost:5000/app@sha256:ab");
        assertThat(SwarmStatus.digest("app:v1")).isNull();
    }

    /** The replica name and the task id read back from it (the logs of a replica) have one owner. */
    @Test
    void aReplicaIsNamedAsTheCliNamesATaskAndItsTaskIdIsReadBack() {
        LiveTask t = new LiveTask("x2f1k0a9b8c7d6e5f4", "id1", 3, "node1", "running", "running", 2, "c0ffee", null, "",
                java.time.Instant.EPOCH);
        ServiceStatus.ReplicaStatus r = SwarmStatus.replica("web", t, Map.of());
        assertThat(r.name()).isEqualTo("web.3.x2f1k0a9b8c7");
        assertThat(SwarmStatus.taskId(r)).isEqualTo("x2f1k0a9b8c7");
        LiveTask shortId = new LiveTask("abc", "id1", 1, "node1", "running", "running", 2, "", null, "", java.time.Instant.EPOCH);
        assertThat(SwarmStatus.taskId(SwarmStatus.replica("my.app", shortId, Map.of()))).isEqualTo("abc");
    }
}
