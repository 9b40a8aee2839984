package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged daemon's AppCDS archive and the training run that makes it
 * ({@code src/main/launcher/make-appcds}, {@code berth.training}). The archive the build made
 * serves the shipped JVM settings ({@code -Xshare:on}: a JVM that cannot map it refuses to
 * start), it holds the classes of a reconcile pass and not only those of start-up (Quarkus' own
 * generation run stops at static init), and a training run ends by itself after its first pass
 * without touching the engine that DOCKER_HOST names, here the test's real one.
 */
class AppCdsIT extends EngineTestBase {
    @Test
    void theTrainingRunPassesOnceWithoutTheEngineAndTheArchiveHoldsThePass() throws Exception {
        Path app = Path.of("target/quarkus-app");
        Path archive = app.resolve("app-cds.jsa");
        assertThat(archive).as("the archive the build made (mvn package runs before the integration tests)").exists();
        assertThat(Files.size(archive)).isPositive();
        Files.writeString(manifests.resolve("web.yaml"), service("web", APP_V1,
                "  replicas: 2\n  healthcheck: {http: {path: /, port: 8080}}\n"));
        Path classes = tmp.resolve("classes.log");
        // The shipped settings, with the archive required rather than tried.
        Training run = train(List.of("-Xshare:on", "-Xlog:class+load=info:file=" + classes), Map.of(
                "BERTH_MANIFESTS_DIR", manifests.toString(), "BERTH_SECRETS_DIR", secrets.toString(),
                "BERTH_PROJECT", project), Duration.ofSeconds(120));
        String out = run.log();
        assertThat(run.ended()).as("the training run ends by itself; its log:\n%s", out).isTrue();
        assertThat(run.exit()).as("exit status; log:\n%s", out).isZero();
        assertThat(out).contains("training run: first pass done");

        List<String> loaded = Files.readAllLines(classes);
        for (String pass : List.of("dev.berth.manifest.SpecBinder", "dev.berth.reconcile.Reconciler",
                "dev.berth.engine.DockerEngine")) {
            assertThat(loaded).as("%s comes from the archive", pass)
                    .anyMatch(l -> l.contains(" " + pass + " source: shared objects file"));
        }
        assertThat(containers()).as("no container of the training run's project").isEmpty();
        assertThat(docker.listNetworksCmd().withFilter("label", List.of("dev.berth.project=" + project)).exec())
                .as("no network of the training run's project").isEmpty();
    }

    /** A training run in role proxy (no pass to run) fails at start rather than wait forever. */
    @Test
    void aTrainingRunOfTheDataPlaneRoleFailsRatherThanHang() throws Exception {
        Training run = train(List.of(), Map.of("BERTH_ROLE", "proxy", "BERTH_PROXY_ADMIN_PORT", "0"),
                Duration.ofSeconds(60));
        String out = run.log();
        assertThat(run.ended()).as("the run ends; its log:\n%s", out).isTrue();
        assertThat(run.exit()).as("exit status; log:\n%s", out).isNotZero();
        assertThat(out).contains("berth.role=proxy");
    }

    /** How a training run of the packaged daemon ended: within its limit or not, its status and log. */
    private record Training(boolean ended, int exit, String log) {}

    /**
     * Runs the packaged daemon as the build's training run does ({@code BERTH_TRAINING}, its own
     * state directory, port 0), with the shipped JVM settings followed by {@code jvm}, and
     * {@code env} on top; killed when it has not ended within {@code limit}.
     */
    private Training train(List<String> jvm, Map<String, String> env, Duration limit) throws Exception {
        Path log = tmp.resolve("training-" + System.nanoTime() + ".log");
        ProcessBuilder pb = PackagedDaemon.command(jvm).redirectOutput(log.toFile());
        pb.environment().put("BERTH_TRAINING", "true");
        pb.environment().put("BERTH_STATE_DIR", state.toString());
        pb.environment().put("BERTH_API_TOKEN", "appcds-it");
        pb.environment().put("QUARKUS_HTTP_PORT", "0");
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean ended = p.waitFor(limit.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        return new Training(ended, p.exitValue(), Files.readString(log));
    }
}
