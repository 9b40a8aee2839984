package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static dev.berth.it.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Container;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** One-shot jobs run once per revision; dependsOn orders starts. */
class JobsAndOrderIT extends EngineTestBase {

    @Test
    void aCompletedJobIsNotRunAgainUntilItsSpecChanges() throws Exception {
        write("job.yaml", service("migrate", BUSYBOX, "  restart: no\n  command: [sh, -c, 'echo migrated']\n"));
        startBerth();
        awaitStatus("migrate", s -> s.phase().name().equals("Completed"));
        Container run = containers("migrate").get(0);
        assertThat(logs(run.getId())).contains("migrated");
        awaitPasses(2);
        assertThat(containers("migrate")).extracting(Container::getId).containsExactly(run.getId());

        // Removing the finished container does not run the job again.
        docker.removeContainerCmd(run.getId()).exec();
        awaitPasses(3);
        assertThat(containers("migrate")).isEmpty();
        assertThat(status("migrate").orElseThrow().phase().name()).isEqualTo("Completed");

        // A changed spec is a new run.
        write("job.yaml", service("migrate", BUSYBOX, "  restart: no\n  command: [sh, -c, 'echo migrated again']\n"));
        awaitStatus("migrate", s -> s.revision() == 2 && s.phase().name().equals("Completed"));
        assertThat(logs(containers("migrate").get(0).getId())).contains("migrated again");
    }

    @Test
    void aFailedJobWithRestartNoIsNotRetried() throws Exception {
        write("job.yaml", service("migrate", BUSYBOX, "  restart: \"no\"\n  command: [sh, -c, 'exit 4']\n"));
        startBerth();
        var s = awaitStatus("migrate", x -> x.phase().name().equals("Failed"));
        assertThat(s.message()).contains("exit code 4");
        String started = inspect(containers("migrate").get(0).getId()).getState().getStartedAt();
        awaitPasses(3);
        assertThat(inspect(containers("migrate").get(0).getId()).getState().getStartedAt()).isEqualTo(started);
    }

    @Test
    void dependenciesStartFirst() throws Exception {
        write("app.yaml", service("web", APP_V1, "  init: true\n  dependsOn: [db]\n")
                + "---\n" + service("db", BUSYBOX, "  init: true\n  command: [sleep, '3600']\n"));
        startBerth();
        awaitAvailable("web", 1);
        awaitAvailable("db", 1);
        Instant db = Instant.parse(inspect(running("db").get(0).getId()).getState().getStartedAt());
        Instant web = Instant.parse(inspect(running("web").get(0).getId()).getState().getStartedAt());
        assertThat(web).isAfter(db);
    }

    @Test
    void aServiceWaitsWhileItsDependencyCannotStart() throws Exception {
        write("app.yaml", service("web", APP_V1, "  init: true\n  dependsOn: [db]\n")
                + "---\n" + service("db", "berth-test/does-not-exist:1", "  pullPolicy: never\n"));
        startBerth();
        var s = awaitStatus("web", x -> x.phase().name().equals("Waiting"));
        assertThat(s.message()).contains("db");
        await().during(java.time.Duration.ofSeconds(2)).atMost(EVENTUALLY).until(() -> containers("web").isEmpty());
        assertThat(status("db").orElseThrow().phase().name()).isEqualTo("Failed");
    }
}
