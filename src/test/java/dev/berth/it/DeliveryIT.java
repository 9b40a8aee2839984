package dev.berth.it;

import static dev.berth.it.TestImages.APP_V1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** env, envFiles, configs and secrets reach the container; secret values appear nowhere else. */
class DeliveryIT extends EngineTestBase {
    static final String SECRET = "pa55-" + Long.toHexString(System.nanoTime());

    final List<String> logLines = new CopyOnWriteArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logLines.add(r.getMessage() + " " + Arrays.toString(r.getParameters()));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureLogs() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void releaseLogs() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void deliversEnvConfigAndSecretsAndNeverShowsTheSecret() throws Exception {
        Files.writeString(secrets.resolve("db-password"), SECRET);
        Files.writeString(manifests.resolve("web.env"), "FROM_FILE=file\nOVERRIDDEN=file\n");
        Files.writeString(manifests.resolve("app.conf"), "colour=blue\n");
        String spec = "  init: true\n  env: {GREETING: hello, OVERRIDDEN: manifest}\n  envFiles: [web.env]\n"
                + "  configs: [{source: app.conf, target: /etc/app/app.conf}]\n"
                + "  secrets: [{name: db-password}, {name: db-password, target: /run/secrets/private, uid: 1000, gid: 1000,"
                + " mode: 0400}]\n  revisionHistoryLimit: 1\n";
        write("web.yaml", service("web", APP_V1, spec));
        startBerth();
        awaitAvailable("web", 1);
        String id = running("web").get(0).getId();

        String env = exec(id, "env");
        assertThat(env).contains("GREETING=hello", "FROM_FILE=file", "OVERRIDDEN=manifest").doesNotContain(SECRET);
        assertThat(exec(id, "cat", "/etc/app/app.conf")).isEqualTo("colour=blue\n");
        assertThat(exec(id, "cat", "/run/secrets/db-password")).isEqualTo(SECRET);
        // Owner and mode as the manifest says (Swarm's defaults: root, 0444).
        assertThat(exec(id, "stat", "-c", "%u %g %a", "/run/secrets/db-password").strip()).isEqualTo("0 0 444");
        assertThat(exec(id, "stat", "-c", "%u %g %a", "/run/secrets/private").strip()).isEqualTo("1000 1000 400");
        assertThat(exec(id, "cat", "/run/secrets/private")).isEqualTo(SECRET);
        // Read-only mounts.
        assertThat(exec(id, "sh", "-c", "echo x > /etc/app/app.conf && echo writable || echo read-only")).contains("read-only");
        assertThat(exec(id, "sh", "-c", "echo x > /run/secrets/db-password && echo writable || echo read-only")).contains("read-only");

        var inspect = inspect(id);
        assertThat(String.join("\n", inspect.getConfig().getEnv())).doesNotContain(SECRET);
        assertThat(inspect.getConfig().getLabels().toString()).doesNotContain(SECRET);
        assertThat(logs(id)).doesNotContain(SECRET);
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        assertThat(json.writeValueAsString(berth.status().services())).doesNotContain(SECRET);
        assertThat(String.join("\n", logLines)).doesNotContain(SECRET);
        assertThat(Files.readString(state.resolve("services/web.json"))).doesNotContain(SECRET);

        // Changing a config file's content is a new revision carrying the new content.
        replace(manifests.resolve("app.conf"), "colour=green\n");
        berth.resync();
        awaitStatus("web", s -> s.revision() == 2 && s.phase().name().equals("Available"));
        String id2 = running("web").get(0).getId();
        assertThat(exec(id2, "cat", "/etc/app/app.conf")).isEqualTo("colour=green\n");

        // So is a changed secret.
        replace(secrets.resolve("db-password"), SECRET + "-rotated");
        berth.resync();
        awaitStatus("web", s -> s.revision() == 3 && s.phase().name().equals("Available"));
        String id3 = running("web").get(0).getId();
        await().atMost(EVENTUALLY).untilAsserted(() ->
                assertThat(exec(id3, "cat", "/run/secrets/db-password")).isEqualTo(SECRET + "-rotated"));
        // Once a revision leaves the history (limit 1, plus the one a rollback would need), its
        // snapshot, and the retired secret in it, leaves the state directory.
        replace(manifests.resolve("app.conf"), "colour=red\n");
        berth.resync();
        awaitStatus("web", s -> s.revision() == 4 && s.phase().name().equals("Available"));
        await().atMost(EVENTUALLY).untilAsserted(() -> {
            try (var files = Files.walk(state.resolve("files"))) {
                assertThat(files.filter(Files::isRegularFile).map(DeliveryIT::read)).doesNotContain(SECRET);
            }
        });
    }

    private static String read(java.nio.file.Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
