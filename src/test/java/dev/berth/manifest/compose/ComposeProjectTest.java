package dev.berth.manifest.compose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.desired.ConfigMount;
import dev.berth.desired.Dependency;
import dev.berth.desired.SecretMount;
import dev.berth.desired.DesiredState;
import dev.berth.desired.HealthCheck;
import dev.berth.desired.IntOrPercent;
import dev.berth.desired.NetworkSpec;
import dev.berth.desired.PortSpec;
import dev.berth.desired.PullPolicy;
import dev.berth.desired.Resources;
import dev.berth.desired.RestartPolicy;
import dev.berth.desired.ServiceSpec;
import dev.berth.desired.UpdatePolicy;
import dev.berth.desired.VolumeMount;
import dev.berth.desired.VolumeSpec;
import dev.berth.manifest.HostAccessPolicy;
import dev.berth.manifest.LoadResult;
import dev.berth.manifest.ManifestParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Compose project as people write it ({@code src/test/resources/compose/good/shop}, a web
 * app with PostgreSQL, Redis and a migration job) read from a subdirectory of the manifests
 * directory beside a Berth manifest, and the desired state it must become; then the same
 * project with its development override.
 */
class ComposeProjectTest {
    static final Path GOOD = Path.of("src/test/resources/compose/good");
    /** Berth's environment as the daemon would see it: a variable the file reads, and Berth's token. */
    static final Map<String, String> PROCESS_ENV = Map.of("POSTGRES_PASSWORD", "from-berth-env",
            "BERTH_API_TOKEN", "t0ken", "LOG_LEVEL", "error", "QUARKUS_HTTP_SSL_CERTIFICATE_KEY_STORE_PASSWORD", "ks-pass");
    static final String EDGE = "apiVersion: berth.dev/v1\nkind: Service\nmetadata: {name: edge}\n"
            + "spec: {image: localhost:5000/edge:1, networks: [frontend], dependsOn: [web]}\n";

    @TempDir
    Path root;

    @Test
    void theShopBecomesBerthServicesVolumesAndNetworks() throws IOException {
        Path dir = manifests("shop");
        LoadResult r = load(dir);
        assertThat(r.problems()).isEmpty();
        DesiredState s = r.desired();
        assertThat(s.services()).containsOnlyKeys("web", "db", "cache", "migrate", "edge");
        Path shop = dir.resolve("shop").toRealPath();

        ServiceSpec web = s.services().get("web");
        assertThat(web.source()).isEqualTo("shop/compose.yaml");
        assertThat(web.image()).isEqualTo("localhost:5000/shop/web:1.4.2"); // ${WEB_TAG:?…} from .env
        assertThat(web.command()).containsExactly("gunicorn", "shop.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2");
        // environment wins over env_file; $$ is a literal $; ${LOG_LEVEL:-info} finds Berth's LOG_LEVEL
        assertThat(web.env()).isEqualTo(Map.of("DATABASE_URL", "postgres://shop@db:5432/shop", "LOG_LEVEL", "error",
                "PRICE_FORMAT", "$%.2f", "WORKERS", "2", "SECRET_KEY_FILE", "/run/secrets/key"));
        assertThat(web.ports()).containsExactly(new PortSpec(8080, 8000, "tcp", PortSpec.Mode.PROXY),
                new PortSpec(9000, 9000, "http", PortSpec.Mode.PROXY));
        assertThat(web.networks()).containsExactly("frontend", "backend");
        assertThat(web.dependsOn()).containsExactly(new Dependency("db", Dependency.Condition.HEALTHY),
                Dependency.started("cache"), new Dependency("migrate", Dependency.Condition.COMPLETED));
        // A secret from a file of the project is bind-mounted (Berth's configs), as Compose without
        // Swarm does; an external one comes from Berth's secrets directory, with owner and mode.
        assertThat(web.configs()).containsExactly(
                new ConfigMount(shop.resolve("secrets/db_password.txt"), "/run/secrets/db_password"),
                new ConfigMount(shop.resolve("gunicorn.conf.py"), "/etc/gunicorn.conf.py"));
        assertThat(web.secrets()).containsExactly(new SecretMount("stripe-key", "/run/secrets/stripe", 1000, 0, 0400));
        assertThat(web.healthcheck()).isEqualTo(new HealthCheck(HealthCheck.Kind.EXEC, "/", 0, 0,
                List.of("curl", "-fsS", "http://localhost:8000/healthz"), Duration.ofSeconds(5), Duration.ofSeconds(2), 5,
                Duration.ofSeconds(10)));
        assertThat(web.replicas()).isEqualTo(3);
        UpdatePolicy d = UpdatePolicy.DEFAULT;
        assertThat(web.update()).isEqualTo(new UpdatePolicy(UpdatePolicy.Order.START_FIRST, new IntOrPercent(2, false),
                d.maxUnavailable(), Duration.ofSeconds(5), d.progressDeadline(), UpdatePolicy.FailureAction.ROLLBACK,
                Duration.ofSeconds(30), d.drain()));
        assertThat(web.resources()).isEqualTo(new Resources(512L << 20, 500_000_000L));
        assertThat(web.restart()).isEqualTo(RestartPolicy.ALWAYS); // unless-stopped
        assertThat(web.labels()).isEqualTo(Map.of("team", "shop"));
        assertThat(web.stopGracePeriod()).isEqualTo(Duration.ofSeconds(20));
        assertThat(web.revisionHistoryLimit()).isEqualTo(5); // x-berth

        ServiceSpec db = s.services().get("db");
        // A KEY without a value comes from Berth's environment; one set nowhere is left out.
        assertThat(db.env()).isEqualTo(Map.of("POSTGRES_USER", "shop", "POSTGRES_DB", "shop",
                "POSTGRES_PASSWORD", "from-berth-env"));
        assertThat(db.volumes()).containsExactly(new VolumeMount("db-data", null, "/var/lib/postgresql/data", false),
                new VolumeMount(null, shop.resolve("initdb"), "/docker-entrypoint-initdb.d", true));
        assertThat(db.networks()).containsExactly("backend");
        assertThat(db.healthcheck().command()).containsExactly("/bin/sh", "-c", "pg_isready -U shop");
        assertThat(db.healthcheck().retries()).isEqualTo(10);
        assertThat(db.stopGracePeriod()).isEqualTo(Duration.ofMinutes(1));
        assertThat(db.update().order()).isEqualTo(UpdatePolicy.Order.STOP_FIRST);
        assertThat(db.update().maxSurge()).isEqualTo(new IntOrPercent(0, false));
        assertThat(db.update().maxUnavailable()).isEqualTo(new IntOrPercent(1, false));

        // Every field of one service, as the binder would make it from the Berth manifest it stands for.
        assertThat(s.services().get("cache")).isEqualTo(new ServiceSpec("cache", "shop/compose.yaml", Map.of(),
                "redis:7", PullPolicy.MISSING, 1, List.of("redis-server", "--appendonly", "yes"), List.of(), null, Map.of(),
                List.of(), List.of(), List.of(), List.of(new VolumeMount("cache-data", null, "/data", false)),
                List.of("backend"), Map.of(), Resources.NONE, "999", Duration.ofSeconds(10), "SIGINT", RestartPolicy.ALWAYS, true, List.of(),
                new HealthCheck(HealthCheck.Kind.EXEC, "/", 0, 0, List.of("/bin/sh", "-c", "redis-cli ping"),
                        Duration.ofSeconds(2), Duration.ofSeconds(1), 3, Duration.ZERO),
                UpdatePolicy.DEFAULT, 10, null));

        ServiceSpec migrate = s.services().get("migrate");
        assertThat(migrate.entrypoint()).containsExactly("python", "manage.py");
        assertThat(migrate.command()).containsExactly("migrate", "--noinput");
        assertThat(migrate.workingDir()).isEqualTo("/app");
        assertThat(migrate.isJob()).isTrue();

        assertThat(s.volumes()).containsOnlyKeys("db-data", "cache-data");
        assertThat(s.volumes().get("cache-data")).isEqualTo(new VolumeSpec("cache-data", "shop/compose.yaml", "local", Map.of(),
                Map.of("backup", "daily")));
        assertThat(s.networks()).containsOnlyKeys("frontend", "backend");
        assertThat(s.networks().get("backend")).isEqualTo(new NetworkSpec("backend", "shop/compose.yaml", "bridge", true, Map.of()));
    }

    @Test
    void theDevelopmentOverrideMergesAsComposeMergesIt() throws IOException {
        Path dir = manifests("shop", "shop-dev");
        LoadResult r = load(dir);
        assertThat(r.problems()).isEmpty();
        ServiceSpec web = r.desired().services().get("web");
        assertThat(web.image()).isEqualTo("localhost:5000/shop/web:dev"); // scalars replace
        assertThat(web.command()).containsExactly("python", "manage.py", "runserver", "0.0.0.0:8000"); // replaced whole
        assertThat(web.env()).containsEntry("LOG_LEVEL", "debug").containsEntry("DEBUG", "1") // merged by key
                .containsEntry("DATABASE_URL", "postgres://shop@db:5432/shop");
        // ports append, an equal one once
        assertThat(web.ports()).extracting(PortSpec::port).containsExactly(8080, 9000, 5678);
        assertThat(web.volumes()).containsExactly(new VolumeMount(null, dir.resolve("shop/src").toRealPath(), "/app/src", false));
        assertThat(web.replicas()).isEqualTo(1); // deep merge of deploy keeps update_config
        assertThat(web.update().maxSurge()).isEqualTo(new IntOrPercent(2, false));
        assertThat(web.dependsOn()).containsExactly(new Dependency("db", Dependency.Condition.HEALTHY),
                Dependency.started("cache"), new Dependency("migrate", Dependency.Condition.COMPLETED));
        assertThat(r.desired().services().get("db").ports()).containsExactly(new PortSpec(5432, 5432, "tcp", PortSpec.Mode.PROXY));
        assertThat(r.desired().services().get("db").volumes()).hasSize(2);
    }

    @Test
    void theOverrideFileDeclaresNothingOfItsOwn() throws IOException {
        Path dir = manifests("shop", "shop-dev");
        ManifestParser parser = new ManifestParser(root.resolve("secrets"), dir, HostAccessPolicy.defaults(root), PROCESS_ENV);
        Path over = dir.resolve("shop/compose.override.yaml");
        assertThat(assertNoThrow(() -> parser.parse("shop/compose.override.yaml", over, Files.readString(over)).declarations()))
                .isEmpty();
    }

    /** deploy.placement is Berth's placement, for the Swarm backend (one host ignores it). */
    @Test
    void deployPlacementIsBerthsPlacement() throws Exception {
        Path dir = Files.createDirectories(root.resolve("m/app"));
        Path file = Files.writeString(dir.resolve("compose.yaml"), """
                services:
                  app:
                    image: app:1
                    deploy:
                      placement:
                        constraints: [node.role==worker, "node.labels.disk!=hdd"]
                        preferences: [{spread: node.labels.zone}]
                """);
        var docs = ComposeProject.read("app/compose.yaml", file, Files.readString(file), PROCESS_ENV);
        assertThat(docs.get(0).root().at("/spec/placement").toString()).isEqualTo(
                "{\"constraints\":[\"node.role==worker\",\"node.labels.disk!=hdd\"],"
                + "\"preferences\":[{\"spread\":\"node.labels.zone\"}]}");
    }

    @Test
    void berthsOwnVariablesAreNeverReadFromItsEnvironment() throws Exception {
        Path dir = Files.createDirectories(root.resolve("m/app"));
        Path file = Files.writeString(dir.resolve("compose.yaml"),
                "services:\n  app:\n    image: app:1\n    environment:\n      - BERTH_API_TOKEN\n      - T=${BERTH_API_TOKEN:-none}\n"
                + "      - K=${QUARKUS_HTTP_SSL_CERTIFICATE_KEY_STORE_PASSWORD:-none}\n");
        var docs = ComposeProject.read("app/compose.yaml", file, Files.readString(file), PROCESS_ENV);
        assertThat(docs.get(0).root().at("/spec/env").toString()).isEqualTo("{\"T\":\"none\",\"K\":\"none\"}");
    }

    @Test
    void labelsOfAVolumeOrNetworkMayBeAListOfKeyValue() throws Exception {
        Path dir = Files.createDirectories(root.resolve("m/app"));
        Path file = Files.writeString(dir.resolve("compose.yaml"), """
                services:
                  app: {image: app:1}
                volumes:
                  data:
                    labels: [tier=db, backup, "url=http://x/?a=b"]
                networks:
                  back:
                    labels: {tier: db, empty: null}
                """);
        var docs = ComposeProject.read("app/compose.yaml", file, Files.readString(file), PROCESS_ENV);
        assertThat(docs.get(1).root().at("/metadata/labels").toString())
                .isEqualTo("{\"tier\":\"db\",\"backup\":\"\",\"url\":\"http://x/?a=b\"}");
        assertThat(docs.get(2).root().at("/metadata/labels").toString()).isEqualTo("{\"tier\":\"db\",\"empty\":\"\"}");
    }

    interface Call<T> {
        T call() throws Exception;
    }

    private static <T> T assertNoThrow(Call<T> c) {
        try {
            return c.call();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private LoadResult load(Path dir) {
        Path secrets = root.resolve("secrets");
        return new dev.berth.manifest.ManifestLoader(dir, secrets, Duration.ZERO, HostAccessPolicy.defaults(secrets),
                dev.berth.manifest.ReservedPorts.NONE, PROCESS_ENV).load();
    }

    /** The manifests directory: the named fixture directories laid over each other in shop/, and edge.yaml. */
    private Path manifests(String... layers) throws IOException {
        Path dir = Files.createDirectories(root.resolve("manifests"));
        Files.writeString(Files.createDirectories(root.resolve("secrets")).resolve("stripe-key"), "sk_test");
        Files.writeString(dir.resolve("edge.yaml"), EDGE);
        for (String layer : layers) {
            Path from = GOOD.resolve(layer);
            try (Stream<Path> s = Files.walk(from)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    Path to = dir.resolve("shop").resolve(from.relativize(p).toString());
                    Files.createDirectories(to.getParent());
                    Files.copy(p, to);
                }
            }
        }
        return dir;
    }
}
