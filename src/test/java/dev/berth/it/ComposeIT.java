package dev.berth.it;

import static dev.berth.it.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Compose project written the way real projects write it — a web app behind a published port
 * with two replicas, a database with its data in a named volume and a healthcheck the web app
 * waits for, a cache, two networks, a {@code .env} with the image tag and a development override
 * — run by Berth against the real engine, and updated under load.
 */
class ComposeIT extends EngineTestBase {

    /** The web app's image comes from .env (APP_TAG), as a pipeline sets it. */
    static String compose(int port) {
        return """
                # web app + database + cache, as for `docker compose up`
                name: shop
                x-defaults: &defaults
                  stop_grace_period: 2s
                  init: true
                services:
                  web:
                    <<: *defaults
                    image: berth-test/app:${APP_TAG:?set APP_TAG in .env}
                    ports:
                      - "%d:8080"
                    environment:
                      DATABASE_URL: postgres://shop@db:5432/shop
                      GREETING: ${GREETING:-hello}
                    networks: [frontend, backend]
                    depends_on:
                      db:
                        condition: service_healthy
                      cache:
                        condition: service_started
                    healthcheck:
                      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"]
                      interval: 1s
                      timeout: 2s
                      retries: 2
                    secrets:
                      - db_password
                      - source: api_key
                        target: api
                        mode: 0400
                    configs:
                      - source: app_conf
                        target: /etc/app.conf
                    deploy:
                      replicas: 2
                      update_config:
                        parallelism: 1
                        order: start-first
                        failure_action: rollback
                  db:
                    <<: *defaults
                    image: %s
                    # ready 3 s after it starts: a service_healthy dependent must wait for that
                    command: ["sh", "-c", "echo v1 > /data/schema; sleep 3; touch /data/ready; exec sleep 3600"]
                    volumes:
                      - db-data:/data
                    networks:
                      backend:
                        aliases: [database]
                    healthcheck:
                      test: ["CMD", "test", "-f", "/data/ready"]
                      interval: 500ms
                      retries: 3
                      start_period: 10s
                  cache:
                    <<: *defaults
                    image: %s
                    command: sleep 3600
                    stop_signal: SIGINT
                    networks: [backend]
                volumes:
                  db-data:
                networks:
                  frontend:
                  backend:
                    internal: true
                secrets:
                  db_password:
                    file: ./db_password.txt
                  api_key:
                    external: true
                    name: api-key
                configs:
                  app_conf:
                    file: ./app.conf
                """.formatted(port, BUSYBOX, BUSYBOX);
    }

    static final String OVERRIDE = """
            services:
              web:
                environment:
                  DEBUG: "1"
                volumes:
                  - ./src:/srv/src:ro
            """;

    int writeProject() throws Exception {
        int port = freePort();
        write(".env", "APP_TAG=v1\n");
        write("compose.yaml", compose(port));
        write("compose.override.yaml", OVERRIDE);
        Files.createDirectories(manifests.resolve("src"));
        Files.writeString(manifests.resolve("src/app.py"), "print('hello')\n");
        Files.writeString(manifests.resolve("db_password.txt"), "s3cret-db\n");
        Files.writeString(manifests.resolve("app.conf"), "workers = 2\n");
        Files.writeString(secrets.resolve("api-key"), "sk_test_123\n");
        return port;
    }

    @Test
    void aComposeProjectRunsAsComposeWouldRunIt() throws Exception {
        int port = writeProject();
        startBerth();
        awaitAvailable("web", 2);
        awaitAvailable("db", 1);
        awaitAvailable("cache", 1);
        assertThat(berth.status().problems()).isEmpty();
        assertThat(httpGet(port, "/")).isEqualTo("v1\n");

        // depends_on service_healthy: web was created only once db had passed its healthcheck,
        // which cannot happen before 3 s after db started.
        InspectContainerResponse db = inspect(running("db").get(0).getId());
        Instant dbStarted = Instant.parse(db.getState().getStartedAt());
        for (Container c : running("web")) {
            Instant created = Instant.parse(inspect(c.getId()).getCreated());
            assertThat(created).as("web replica %s created after db was healthy", c.getNames()[0])
                    .isAfter(dbStarted.plusMillis(2900));
        }

        // The named volume is Berth's, under the project's name, and holds the database's data.
        var volume = docker.inspectVolumeCmd(project + "_db-data").exec();
        assertThat(volume.getLabels()).containsEntry("dev.berth.project", project);
        assertThat(exec(db.getId(), "cat", "/data/schema").strip()).isEqualTo("v1");

        // Networks: web on both, db and cache on the internal backend only.
        assertThat(docker.inspectNetworkCmd().withNetworkId(project + "_backend").exec().getInternal()).isTrue();
        InspectContainerResponse web = inspect(running("web").get(0).getId());
        assertThat(web.getNetworkSettings().getNetworks().keySet())
                .containsExactlyInAnyOrder(project + "_frontend", project + "_backend");
        assertThat(db.getNetworkSettings().getNetworks().keySet()).containsExactly(project + "_backend");
        // docker-java's model has no StopSignal: ask the engine's own command line.
        Process p = new ProcessBuilder("docker", "inspect", "-f", "{{.Config.StopSignal}}", running("cache").get(0).getId())
                .redirectErrorStream(true).start();
        assertThat(new String(p.getInputStream().readAllBytes()).strip()).isEqualTo("SIGINT");
        // Services reach each other by their Compose names.
        assertThat(exec(web.getId(), "nslookup", "db")).doesNotContain("can't resolve");
        assertThat(exec(web.getId(), "nslookup", "database")).as("db's alias on backend").doesNotContain("can't resolve")
                .contains(db.getNetworkSettings().getNetworks().get(project + "_backend").getIpAddress());

        // Environment: the file's, the default of an unset variable, and the override merged by key.
        assertThat(List.of(web.getConfig().getEnv())).contains("DATABASE_URL=postgres://shop@db:5432/shop",
                "GREETING=hello", "DEBUG=1");
        // The override's bind mount of the source tree, read-only, relative to the file.
        assertThat(exec(web.getId(), "cat", "/srv/src/app.py").strip()).isEqualTo("print('hello')");
        assertThat(exec(web.getId(), "sh", "-c", "touch /srv/src/x 2>&1 || echo refused")).contains("refused");

        // Secrets and configs: a file of the project at /run/secrets/<name>, a file of Berth's
        // secrets directory (external) with its mode, a config at its target.
        assertThat(exec(web.getId(), "cat", "/run/secrets/db_password").strip()).isEqualTo("s3cret-db");
        assertThat(exec(web.getId(), "cat", "/run/secrets/api").strip()).isEqualTo("sk_test_123");
        assertThat(exec(web.getId(), "stat", "-c", "%a", "/run/secrets/api").strip()).isEqualTo("400");
        assertThat(exec(web.getId(), "cat", "/etc/app.conf").strip()).isEqualTo("workers = 2");
        assertThat(List.of(web.getConfig().getEnv())).noneMatch(e -> e.contains("sk_test_123") || e.contains("s3cret"));
    }

    @Test
    void aNewTagInDotEnvRollsOutUnderLoadWithZeroFailedRequests() throws Exception {
        int port = writeProject();
        // No periodic resync: the change of .env alone must wake Berth.
        startBerthWithoutResync();
        awaitAvailable("web", 2);
        String dbId = running("db").get(0).getId();
        try (Load load = new Load(port, "/", 4)) {
            await().atMost(EVENTUALLY).until(() -> load.count("v1") > 50);
            write(".env", "APP_TAG=v2\n");
            awaitStatus("web", s -> s.revision() == 2 && s.phase().name().equals("Available")
                    && s.replicas().updated() == 2 && s.containers().size() == 2);
            long v2Before = load.count("v2");
            await().atMost(EVENTUALLY).until(() -> load.count("v2") > v2Before + 50);
            load.close();
            assertThat(load.failures).as("failed requests").isEmpty();
        }
        assertThat(running("web")).hasSize(2)
                .allSatisfy(c -> assertThat(c.getImage()).isEqualTo("berth-test/app:v2"));
        // The database was not touched by the web app's update.
        assertThat(running("db")).extracting(Container::getId).containsExactly(dbId);
    }
}
