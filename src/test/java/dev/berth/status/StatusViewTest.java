package dev.berth.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.desired.ResolvedService;
import dev.berth.desired.ServiceSpec;
import dev.berth.observed.ContainerState;
import dev.berth.observed.ObservedContainer;
import dev.berth.observed.ReplicaHealth;
import dev.berth.plan.Fixtures;
import dev.berth.plan.ServiceNote;
import dev.berth.rollout.RolloutRecord;
import dev.berth.rollout.RolloutState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A service's phase and message from one pass's facts: which fact wins when several hold. */
class StatusViewTest {
    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    /**
     * observed: containers as "rev:state" (ready, starting, exited, leaving), comma-separated;
     * rollout: the record's state or "-"; fact: resolve, proxy, waiting, engine, crashloop, waitingFor or "-".
     */
    @ParameterizedTest(name = "{0} replicas, [{1}], rollout {2}, {3} → {4} \"{5}\"")
    @CsvSource(delimiter = '|', textBlock = """
            # replicas | observed              | rollout     | fact       | phase       | message contains
            2          | 2:ready,2:ready       | COMPLETE    | -          | Available   | -
            2          | 2:ready,2:starting    | PROGRESSING | -          | Progressing | 2 of 2 replicas of revision 2 up, 1 ready
            2          | 1:ready,2:ready       | PROGRESSING | -          | Progressing | 1 of 2 replicas of revision 2 up
            2          | 2:ready,2:leaving     | COMPLETE    | -          | Progressing | 1 of 2 replicas of revision 2 up, 1 ready
            2          | 2:ready,2:ready       | COMPLETE    | resolve    | Failed      | pull failed
            2          | 2:ready,2:ready       | COMPLETE    | proxy      | Degraded    | proxy: cannot listen
            2          | 2:ready,2:ready       | COMPLETE    | waiting    | Progressing | pulling image
            2          | 2:ready,2:ready       | COMPLETE    | engine     | Degraded    | engine error, retrying at
            2          | 2:ready,2:exited      | COMPLETE    | crashloop  | Degraded    | crash loop: restart 4 at
            2          | -                     | PROGRESSING | waitingFor | Waiting     | waiting for service db to start
            2          | 1:ready,1:ready       | ROLLED_BACK | -          | RolledBack  | rolled back to revision 1
            2          | 1:ready,2:starting    | PAUSED      | -          | Paused      | rollout paused: deadline
            2          | 1:ready,2:starting    | PAUSED      | resolve    | Failed      | pull failed
            2          | 2:ready,2:ready       | FAILED      | -          | Failed      | rollout failed: deadline
            2          | 1:ready,2:ready       | ROLLING_BACK| -          | Progressing | rolling back to revision 1
            0          | -                     | COMPLETE    | -          | Available   | scaled to 0
            """)
    void phase(int replicas, String observed, String rollout, String fact, String phase, String message) {
        ServiceSpec spec = Fixtures.spec("web", replicas);
        ResolvedService target = new ResolvedService(spec, spec.image(), "sha256:web2", null, List.of(), "h2", 2);
        List<ObservedContainer> containers = new ArrayList<>();
        Map<String, ReplicaHealth> health = new HashMap<>();
        Set<String> leaving = new HashSet<>();
        int i = 0;
        for (String c : observed.strip().equals("-") ? new String[0] : observed.strip().split(",")) {
            String[] rs = c.split(":");
            int rev = Integer.parseInt(rs[0]);
            String id = "c" + i++;
            boolean exited = rs[1].equals("exited");
            containers.add(new ObservedContainer(id, "p-web-r" + rev + "-" + i, "web", rev, "h" + rev, i, "web.yaml",
                    exited ? ContainerState.EXITED : ContainerState.RUNNING, exited ? 1 : 0, NOW.minusSeconds(60), null,
                    "sha256:web" + rev, 0, 0, Set.of("default"), Map.of()));
            switch (rs[1]) {
                case "ready" -> health.put(id, new ReplicaHealth(ReplicaHealth.State.READY, 0, NOW.minusSeconds(30), null, null));
                case "starting" -> health.put(id, ReplicaHealth.STARTING);
                case "leaving" -> {
                    health.put(id, new ReplicaHealth(ReplicaHealth.State.READY, 0, NOW.minusSeconds(30), null, null));
                    leaving.add(id);
                }
                default -> { }
            }
        }
        RolloutRecord r = rollout.strip().equals("-") ? null : new RolloutRecord(RolloutState.valueOf(rollout.strip()),
                "h1", 1, "h2", 2, NOW.minusSeconds(100), null, "deadline", Set.of(), null, null);
        String f = fact.strip();
        ServiceNote note = switch (f) {
            case "crashloop" -> new ServiceNote(null, NOW.plusSeconds(8), 3, 0, 0, null);
            case "waitingFor" -> new ServiceNote(dev.berth.desired.Dependency.started("db"), null, 0, 0, 0, null);
            default -> ServiceNote.NONE;
        };
        ServiceStatus s = StatusView.of(new StatusView.Facts(spec, null, target, r,
                f.equals("resolve") ? "pull failed: manifest unknown" : null,
                f.equals("waiting") ? "pulling image img:web" : null,
                f.equals("proxy") ? "cannot listen on 127.0.0.1:80: in use" : null,
                containers, health, leaving, note,
                f.equals("engine") ? "409 conflict" : null, f.equals("engine") ? NOW.minusSeconds(1) : null,
                f.equals("engine") ? NOW.plusSeconds(2) : null, NOW));
        assertThat(s.phase().name()).as(s.message()).isEqualTo(phase.strip());
        if (!message.strip().equals("-")) {
            assertThat(s.message()).contains(message.strip());
        }
    }
}
