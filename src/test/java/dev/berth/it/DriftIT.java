package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static dev.berth.it.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Container;
import dev.berth.status.ServiceStatus;
import org.junit.jupiter.api.Test;

/** Hand-made changes to managed containers are put back; crash loops back off visibly. */
class DriftIT extends EngineTestBase {

    @Test
    void killedStoppedRemovedAndEditedContainersArePutBack() throws Exception {
        write("web.yaml", service("web", APP_V1, "  replicas: 2\n  init: true\n"));
        startBerth();
        awaitAvailable("web", 2);

        // kill: the same container is started again
        Container c1 = byOrdinal("1");
        String startedBefore = inspect(c1.getId()).getState().getStartedAt();
        docker.killContainerCmd(c1.getId()).exec();
        await().atMost(EVENTUALLY).until(() -> "running".equals(byOrdinal("1").getState())
                && !inspect(c1.getId()).getState().getStartedAt().equals(startedBefore));
        assertThat(byOrdinal("1").getId()).isEqualTo(c1.getId());

        // killed by hand again and again: started again each time, never counted as a crash (no backoff)
        for (int i = 0; i < 3; i++) {
            String started = inspect(c1.getId()).getState().getStartedAt();
            docker.killContainerCmd(c1.getId()).exec();
            await().atMost(EVENTUALLY).until(() -> "running".equals(byOrdinal("1").getState())
                    && !inspect(c1.getId()).getState().getStartedAt().equals(started));
        }
        ServiceStatus afterKills = awaitStatus("web", s -> s.replicas().ready() == 2);
        assertThat(afterKills.restarts()).as("kills by hand are not crashes").isZero();
        assertThat(berth.events().list("web")).anySatisfy(e -> assertThat(e.message())
                .contains("stopped by someone else, not a crash"));

        // stop: started again
        docker.stopContainerCmd(c1.getId()).withTimeout(1).exec();
        await().atMost(EVENTUALLY).until(() -> "running".equals(byOrdinal("1").getState()));

        // remove: recreated as replica 2 again, under a fresh incarnation name
        Container c2 = byOrdinal("2");
        docker.removeContainerCmd(c2.getId()).withForce(true).exec();
        await().atMost(EVENTUALLY).until(() -> running("web").size() == 2 && !byOrdinal("2").getId().equals(c2.getId()));
        assertThat(byOrdinal("2").getNames()[0]).startsWith("/" + project + "-web-r1-2-").isNotEqualTo(c2.getNames()[0]);

        // rename by hand: the label keeps the given name, so it is drift and the replica is replaced
        String renamed = byOrdinal("2").getId();
        docker.renameContainerCmd(renamed).withName(project + "-by-hand").exec();
        await().atMost(EVENTUALLY).until(() -> running("web").size() == 2 && !byOrdinal("2").getId().equals(renamed));

        // hand edit (docker update): replaced by a container as specified
        String edited = byOrdinal("2").getId();
        docker.updateContainerCmd(edited).withMemory(64L << 20).withMemorySwap(-1L).exec();
        await().atMost(EVENTUALLY).until(() -> running("web").size() == 2 && !byOrdinal("2").getId().equals(edited));
        assertThat(inspect(byOrdinal("2").getId()).getHostConfig().getMemory()).isZero();

        // A container that is not Berth's is never touched.
        String foreign = docker.createContainerCmd(APP_V1).withName(project + "-web-r1-9").exec().getId();
        try {
            awaitPasses(2);
            assertThat(inspect(foreign).getId()).isEqualTo(foreign);
        } finally {
            docker.removeContainerCmd(foreign).withForce(true).exec();
        }
    }

    /**
     * A replica that exists but cannot be started (here: a broken entrypoint; in the wild: an
     * engine restart that cut a create short and left the runtime holding a stale task) is
     * discarded and made afresh, instead of being started again and again for ever.
     */
    @Test
    void aCreatedContainerThatWillNotStartIsReplacedByAFreshOne() throws Exception {
        write("web.yaml", service("web", APP_V1, "  replicas: 1\n"));
        startBerth();
        awaitAvailable("web", 1);
        stopBerth();
        Container made = byOrdinal("1");
        var i = inspect(made.getId());
        docker.removeContainerCmd(made.getId()).withForce(true).exec();
        String broken = docker.createContainerCmd(i.getImageId()).withName(made.getNames()[0].substring(1))
                .withLabels(i.getConfig().getLabels()).withEntrypoint("/no-such-binary")
                .withHostConfig(i.getHostConfig()).exec().getId();

        startBerth();
        awaitAvailable("web", 1);
        assertThat(containers("web")).singleElement().satisfies(c -> {
            assertThat(c.getId()).isNotEqualTo(broken);
            assertThat(c.getState()).isEqualTo("running");
        });
        assertThat(berth.events().list("web")).anySatisfy(e -> assertThat(e.message())
                .contains("discarded " + made.getNames()[0].substring(1)));
    }

    @Test
    void aCrashLoopBacksOffAndShowsInStatus() throws Exception {
        write("crash.yaml", service("crash", BUSYBOX, "  command: [sh, -c, 'exit 3']\n"));
        startBerth();
        ServiceStatus s = awaitStatus("crash", x -> x.restarts() >= 3 && x.nextRestartAt() != null);
        assertThat(s.phase().name()).isEqualTo("Degraded");
        assertThat(s.message()).contains("crash loop");
        // Still the same container: restarts, not replacements.
        assertThat(containers("crash")).hasSize(1);
        // The backoff grows: the gap before restart n is at least the policy's delay (0.5s · 2^(n-2)).
        ServiceStatus later = awaitStatus("crash", x -> x.restarts() >= 5);
        assertThat(later.containers()).singleElement().satisfies(c -> assertThat(c.revision()).isEqualTo(1));
        var starts = berth.events().list("crash").stream().filter(e -> e.reason().equals("StartContainer")).toList();
        assertThat(starts).hasSizeGreaterThanOrEqualTo(5);
        java.util.regex.Pattern restart = java.util.regex.Pattern.compile("restart (\\d+)\\)");
        for (int i = 1; i < starts.size(); i++) {
            var m = restart.matcher(starts.get(i).message());
            assertThat(m.find()).as(starts.get(i).message()).isTrue();
            int n = Integer.parseInt(m.group(1));
            java.time.Duration gap = java.time.Duration.between(starts.get(i - 1).time(), starts.get(i).time());
            assertThat(gap).as("gap before restart " + n)
                    .isGreaterThanOrEqualTo(settings().backoff().delay(n).minusMillis(20));
        }
    }

    private Container byOrdinal(String ordinal) {
        return containers("web").stream().filter(c -> ordinal.equals(c.getLabels().get("dev.berth.ordinal")))
                .findFirst().orElseThrow();
    }
}
