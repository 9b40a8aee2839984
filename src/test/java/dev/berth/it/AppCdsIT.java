package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        Path log = tmp.resolve("training.log");
        Path classes = tmp.resolve("classes.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        // The shipped settings, with the archive required rather than tried.
        ProcessBuilder pb = new ProcessBuilder(java, "@" + app.resolve("berth.jvm.options").toAbsolutePath(),
                "-Xshare:on", "-Xlog:class+load=info:file=" + classes, "-jar", "quarkus-run.jar")
                .directory(app.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        var env = pb.environment();
        env.put("BERTH_TRAINING", "true");
        env.put("BERTH_MANIFESTS_DIR", manifests.toString());
        env.put("BERTH_STATE_DIR", state.toString());
        env.put("BERTH_SECRETS_DIR", secrets.toString());
        env.put("BERTH_PROJECT", project);
        env.put("BERTH_API_TOKEN", "appcds-it");
        env.put("QUARKUS_HTTP_PORT", "0");
        Process p = pb.start();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String out = Files.readString(log);
        assertThat(ended).as("the training run ends by itself; its log:\n%s", out).isTrue();
        assertThat(p.exitValue()).as("exit status; log:\n%s", out).isZero();
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
        Path app = Path.of("target/quarkus-app");
        Path log = tmp.resolve("proxy-training.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "@" + app.resolve("berth.jvm.options").toAbsolutePath(),
                "-jar", "quarkus-run.jar").directory(app.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        var env = pb.environment();
        env.put("BERTH_TRAINING", "true");
        env.put("BERTH_ROLE", "proxy");
        env.put("BERTH_STATE_DIR", state.toString());
        env.put("BERTH_API_TOKEN", "appcds-it");
        env.put("QUARKUS_HTTP_PORT", "0");
        env.put("BERTH_PROXY_ADMIN_PORT", "0");
        Process p = pb.start();
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String out = Files.readString(log);
        assertThat(ended).as("the run ends; its log:\n%s", out).isTrue();
        assertThat(p.exitValue()).as("exit status; log:\n%s", out).isNotZero();
        assertThat(out).contains("berth.role=proxy");
    }
}
