package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static dev.berth.it.TestImages.APP_V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Container;
import dev.berth.status.ServiceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Probation (monitorSeconds after a rollout completes) blames only the revision: an operator's
 * docker stop or docker rm -f of a replica is repaired and rolls nothing back; a replica whose
 * process exits on its own still rolls the revision back.
 */
class ProbationIT extends EngineTestBase {
    static final int MONITOR = 40;

    static String web(String image, int port, int monitorSeconds) {
        return proxiedWeb(image, port, "", "").replace("monitorSeconds: 3", "monitorSeconds: " + monitorSeconds);
    }

    /** v1, then v2 with a long probation; answers when v2's rollout completed. */
    Instant rolledToV2(int port) {
        write0("web.yaml", web(APP_V1, port, MONITOR));
        startBerth();
        awaitAvailable("web", 2);
        write0("web.yaml", web(APP_V2, port, MONITOR));
        ServiceStatus s = awaitStatus("web", x -> x.revision() == 2 && x.phase().name().equals("Available")
                && x.rollout().state().equals("COMPLETE") && x.replicas().ready() == 2 && x.containers().size() == 2);
        return s.rollout().completedAt();
    }

    void write0(String file, String yaml) {
        try {
            write(file, yaml);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    Container aV2Replica() {
        return running("web").stream().filter(c -> "2".equals(c.getLabels().get("dev.berth.revision"))).findFirst()
                .orElseThrow();
    }

    @Test
    void anOperatorsStopAndRemoveDuringProbationRollNothingBack() throws Exception {
        int port = freePort();
        Instant completed = rolledToV2(port);
        Set<String> states = ConcurrentHashMap.newKeySet();
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                status("web").ifPresent(s -> states.add(s.rollout().state()));
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watcher.start();
        try {
            String stopped = aV2Replica().getId();
            docker.stopContainerCmd(stopped).withTimeout(5).exec();
            // Repaired: the same container runs again and the service is whole on v2.
            await().atMost(EVENTUALLY).until(() -> running("web").stream().anyMatch(c -> c.getId().equals(stopped)));
            awaitStatus("web", s -> s.revision() == 2 && s.phase().name().equals("Available") && s.replicas().ready() == 2);

            String removed = running("web").stream().filter(c -> !c.getId().equals(stopped)).findFirst().orElseThrow().getId();
            docker.removeContainerCmd(removed).withForce(true).exec();
            await().atMost(EVENTUALLY).until(() -> containers("web").stream().noneMatch(c -> c.getId().equals(removed)));
            ServiceStatus s = awaitStatus("web", x -> x.revision() == 2 && x.phase().name().equals("Available")
                    && x.replicas().ready() == 2 && x.containers().size() == 2);
            // Both happened within probation, or this test proves nothing.
            assertThat(Instant.now()).isBefore(completed.plusSeconds(MONITOR));
            awaitPasses(2);
            assertThat(s.rollout().toRevision()).isEqualTo(2);
            assertThat(status("web").orElseThrow().rollout().state()).isEqualTo("COMPLETE");
        } finally {
            watcher.interrupt();
            watcher.join();
        }
        assertThat(states).as("rollout states seen").containsOnly("COMPLETE");
        assertThat(containers("web")).hasSize(2)
                .allSatisfy(c -> assertThat(c.getLabels()).containsEntry("dev.berth.revision", "2"));
        assertThat(httpGet(port, "/").strip()).isEqualTo("v2");
        assertThat(berth.events().list("web")).filteredOn(e -> e.message().contains("stopped by someone else"))
                .hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aReplicaThatExitsOnItsOwnDuringProbationStillRollsBack() throws Exception {
        int port = freePort();
        Instant completed = rolledToV2(port);
        // The app's server dies inside the container; no one asks the engine for anything.
        String dying = aV2Replica().getId();
        exec(dying, "sh", "-c", "for d in /proc/[0-9]*; do case \"$(tr '\\0' ' ' < $d/cmdline 2>/dev/null)\" in"
                + " 'busybox httpd'*) kill -9 ${d#/proc/};; esac; done");
        ServiceStatus s = awaitStatus("web", x -> x.phase().name().equals("RolledBack"));
        assertThat(s.revision()).isEqualTo(1);
        assertThat(s.message()).contains("exited");
        assertThat(s.rollout().startedAt()).isBefore(completed.plusSeconds(MONITOR));
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(containers("web")).hasSize(2)
                .allSatisfy(c -> assertThat(c.getLabels()).containsEntry("dev.berth.revision", "1")));
        assertThat(berth.events().list("web")).noneSatisfy(e -> assertThat(e.message()).contains("stopped by someone else"));
    }
}
