package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static dev.berth.it.TestImages.APP_V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.rollout.Command;
import dev.berth.rollout.CommandRejected;
import dev.berth.status.ServiceStatus;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import dev.berth.rollout.Operator;

/** Operator commands (what the REST actions call) against the real engine, under load through the proxy. */
class ControlIT extends EngineTestBase {
    static final String UNHEALTHY = "berth-test/app:unhealthy";

    static String web(String image, int port, String update) {
        return proxiedWeb(image, port, update, "");
    }

    void run(Command c) throws Exception {
        berth.submit(c).get(30, TimeUnit.SECONDS);
    }

    /** v1 (revision 1) then v2 (revision 2) rolled out, under way to the tests. */
    int deployV1ThenV2(String update) throws Exception {
        int port = freePort();
        write("web.yaml", web(APP_V1, port, update));
        startBerth();
        awaitAvailable("web", 2);
        write("web.yaml", web(APP_V2, port, update));
        awaitStatus("web", s -> s.revision() == 2 && s.phase().name().equals("Available"));
        return port;
    }

    @Test
    void rollbackToThePreviousRevisionWithZeroFailedRequestsHoldsUntilTheManifestChanges() throws Exception {
        int port = deployV1ThenV2("");
        try (Load load = new Load(port, "/", 4)) {
            await().atMost(EVENTUALLY).until(() -> load.count("v2") > 50);
            run(new Command.Rollback("web", null, "test"));
            ServiceStatus s = awaitStatus("web", x -> x.phase().name().equals("RolledBack"));
            assertThat(s.revision()).isEqualTo(1);
            assertThat(s.rollout().reason()).contains("requested by test at");
            long v1 = load.count("v1");
            await().atMost(EVENTUALLY).until(() -> load.count("v1") > v1 + 50);
            load.close();
            assertThat(load.failures).as("failed requests").isEmpty();
        }
        // Holds: passes do not move it back to the manifest's revision 2, nor does a restart.
        assertThatThrownBy(() -> run(new Command.Restart("web", "test"))).cause()
                .isInstanceOfSatisfying(CommandRejected.class, r -> {
                    assertThat(r.status()).isEqualTo(409);
                    assertThat(r.getMessage()).contains("held on revision 1 by a rollback");
                });
        awaitPasses(3);
        assertThat(status("web").orElseThrow().revision()).isEqualTo(1);
        assertThat(httpGet(port, "/").strip()).isEqualTo("v1");
        // A manifest change wins.
        write("web.yaml", web(APP_V2, port, "") + "  env: {CHANGED: \"yes\"}\n");
        awaitStatus("web", x -> x.revision() == 3 && x.phase().name().equals("Available"));
        assertThat(httpGet(port, "/").strip()).isEqualTo("v2");
    }

    @Test
    void rollbackAfterASpecCameBackGoesToWhatRanBeforeIt() throws Exception {
        // A (r1) → B (r2) → C (r3) → A (r1 again) → B (r2 again): the revision that ran before B
        // is A, although C has the newest number.
        int port = freePort();
        String a = web(APP_V1, port, "") + "  env: {X: a}\n";
        String b = web(APP_V2, port, "") + "  env: {X: b}\n";
        write("web.yaml", a);
        startBerth();
        awaitAvailable("web", 2);
        write("web.yaml", b);
        awaitStatus("web", s -> s.revision() == 2 && s.phase().name().equals("Available"));
        write("web.yaml", web(APP_V1, port, "") + "  env: {X: c}\n");
        awaitStatus("web", s -> s.revision() == 3 && s.phase().name().equals("Available"));
        write("web.yaml", a);
        awaitStatus("web", s -> s.revision() == 1 && s.phase().name().equals("Available"));
        write("web.yaml", b);
        awaitStatus("web", s -> s.revision() == 2 && s.phase().name().equals("Available"));

        run(new Command.Rollback("web", null, "test"));
        ServiceStatus s = awaitStatus("web", x -> x.phase().name().equals("RolledBack"));
        assertThat(s.revision()).isEqualTo(1);
        assertThat(berth.revisions("web")).filteredOn(r -> r.revision() == 1).singleElement()
                .satisfies(r -> assertThat(r.deployedAt()).isAfter(r.createdAt()));
    }

    @Test
    void aRollbackRunsTheRevisionsOwnImageAfterItsLocalTagWasRebuilt() throws Exception {
        String repo = "berth-test/retag-" + project;
        String v1 = docker.inspectImageCmd(APP_V1).exec().getId();
        String v2 = docker.inspectImageCmd(APP_V2).exec().getId();
        docker.tagImageCmd(v1, repo, "live").withForce().exec();
        try {
            int port = freePort();
            write("web.yaml", web(repo + ":live", port, "") + "  pullPolicy: never\n");
            startBerth();
            awaitAvailable("web", 2);
            // "docker build -t …:live" of a new version: the same manifest is a new revision.
            docker.tagImageCmd(v2, repo, "live").withForce().exec();
            berth.resync();
            awaitStatus("web", s -> s.revision() == 2 && s.phase().name().equals("Available"));
            assertThat(httpGet(port, "/").strip()).isEqualTo("v2");

            run(new Command.Rollback("web", null, "test"));
            awaitStatus("web", s -> s.revision() == 1 && s.phase().name().equals("RolledBack"));
            assertThat(httpGet(port, "/").strip()).isEqualTo("v1");
            // RolledBack counts the restored replicas; revision 2's last one may still be draining.
            await().atMost(EVENTUALLY).until(() -> containers("web").size() == 2);
            var ids = containers("web").stream().map(c -> c.getId()).collect(java.util.stream.Collectors.toSet());
            assertThat(containers("web")).hasSize(2).allSatisfy(c -> assertThat(c.getImageId()).isEqualTo(v1));
            // Stable: not "runs another image", replaced pass after pass.
            awaitPasses(3);
            assertThat(containers("web").stream().map(c -> c.getId()).collect(java.util.stream.Collectors.toSet()))
                    .isEqualTo(ids);
        } finally {
            docker.removeImageCmd(repo + ":live").withNoPrune(true).exec();
        }
    }

    @Test
    void rollbackToANamedRevision() throws Exception {
        int port = deployV1ThenV2("");
        write("web.yaml", web(APP_V1, port, "") + "  env: {CHANGED: \"yes\"}\n");
        awaitStatus("web", s -> s.revision() == 3 && s.phase().name().equals("Available"));
        try (Load load = new Load(port, "/", 4)) {
            await().atMost(EVENTUALLY).until(() -> load.count("v1") > 50);
            run(new Command.Rollback("web", 2, "test"));
            awaitStatus("web", s -> s.revision() == 2 && s.phase().name().equals("RolledBack"));
            long v2 = load.count("v2");
            await().atMost(EVENTUALLY).until(() -> load.count("v2") > v2 + 50);
            load.close();
            assertThat(load.failures).as("failed requests").isEmpty();
        }
        assertThat(httpGet(port, "/").strip()).isEqualTo("v2");
        assertThatThrownBy(() -> run(new Command.Rollback("web", 42, "test"))).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(CommandRejected.class, r -> assertThat(r.status()).isEqualTo(404));
    }

    @Test
    void pauseStopsARolloutMidwayAndResumeFinishesIt() throws Exception {
        int port = freePort();
        // minReadySeconds slows each step enough to catch the rollout in the middle.
        write("web.yaml", web(APP_V1, port, ", minReadySeconds: 2"));
        startBerth();
        awaitAvailable("web", 2);
        write("web.yaml", web(APP_V2, port, ", minReadySeconds: 2"));
        await().atMost(EVENTUALLY).until(() -> containers("web").stream()
                .anyMatch(c -> "2".equals(c.getLabels().get("dev.berth.revision"))));
        run(new Command.Pause("web", "test"));
        ServiceStatus paused = awaitStatus("web", s -> s.phase().name().equals("Paused"));
        assertThat(paused.rollout().reason()).contains("paused by test");
        awaitPasses(3);
        long v1Left = containers("web").stream().filter(c -> "1".equals(c.getLabels().get("dev.berth.revision"))).count();
        assertThat(v1Left).as("old replicas left while paused").isPositive();
        Thread.sleep(3000);
        awaitPasses(2);
        assertThat(containers("web").stream().filter(c -> "1".equals(c.getLabels().get("dev.berth.revision"))).count())
                .isEqualTo(v1Left);

        run(new Command.Resume("web", "test"));
        awaitStatus("web", s -> s.revision() == 2 && s.phase().name().equals("Available"));
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(containers("web")).hasSize(2)
                .allSatisfy(c -> assertThat(c.getLabels()).containsEntry("dev.berth.revision", "2")));
    }

    @Test
    void retryAfterAFailedRevision() throws Exception {
        int port = freePort();
        write("web.yaml", web(APP_V1, port, ""));
        startBerth();
        awaitAvailable("web", 2);
        write("web.yaml", web(UNHEALTHY, port, ""));
        awaitStatus("web", s -> s.phase().name().equals("RolledBack"));
        assertThatThrownBy(() -> run(new Command.Resume("web", "test"))).cause()
                .isInstanceOfSatisfying(CommandRejected.class, r -> assertThat(r.status()).isEqualTo(409));
        // The retry runs the failed revision again (and it fails again, the same rolling way).
        run(new Command.Retry("web", "test"));
        awaitStatus("web", s -> s.rollout().reason().contains("retry of revision 2 requested by test"));
        ServiceStatus again = awaitStatus("web", s -> s.phase().name().equals("RolledBack"));
        assertThat(again.revision()).isEqualTo(1);
        assertThat(berth.events().list("web")).extracting(e -> e.reason()).containsSubsequence("RetryRequested",
                "CreateContainer", "RollingBack", "RolledBack");
        assertThat(httpGet(port, "/").strip()).isEqualTo("v1");
    }
}
