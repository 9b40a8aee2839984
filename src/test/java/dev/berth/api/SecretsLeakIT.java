package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import dev.berth.engine.DockerClients;
import dev.berth.testing.ContainerOutput;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Secrets never leak. The daemon as shipped deploys web mounting a secret (and a config) with
 * distinctive values, rolls out a rotated secret, fails a rollout (auto rollback), and is rolled
 * back over REST to revision 1; then every place Berth writes is searched for the values —
 * its log file, events, metrics, every API answer, the status page, {@code docker inspect} of every
 * container and network it created, and the state directory outside the revision snapshots —
 * with 0 occurrences allowed. Positive controls: the containers do read the secrets, and the
 * snapshots (where they must be) are found by the same search; their modes are checked.
 */
@QuarkusTest
@QuarkusTestResource(value = HostileProjectResource.class, restrictToAnnotatedClass = true)
@TestProfile(SecretsLeakIT.LoggingToAFile.class)
class SecretsLeakIT {
    static final Path LOG = Path.of("target", "secrets-leak-it.log");

    /** An application of its own that also logs to a file (at DEBUG for Berth's own classes), to be searched. */
    public static class LoggingToAFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Files.deleteIfExists(LOG);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return Map.of("quarkus.log.file.enabled", "true", "quarkus.log.file.path", LOG.toString(),
                    "quarkus.log.file.level", "DEBUG", "quarkus.log.category.\"dev.berth\".level", "DEBUG");
        }
    }

    /** Also writes docker-java's empty placeholder objects (ExposedPorts values) as {}. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(com.fasterxml.jackson.databind.SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String W = "/api/v1/services/web";

    @TestHTTPResource("/")
    URL base;

    @Test
    void noSecretValueAppearsAnywhereBerthWritesAfterARolloutAFailedRolloutAndARollback() throws Exception {
        List<String> values = List.of(HostileProjectResource.SECRET, HostileProjectResource.SECRET2);
        try (DockerClient docker = DockerClients.client(DockerClients.config(Optional.empty()))) {
            await().atMost(Duration.ofSeconds(90)).until(() -> atRevision(1, "Available"));
            assertThat(readSecretInEveryReplica(docker)).containsOnly(HostileProjectResource.SECRET);

            // A rollout that rotates the secret (revision 2).
            Files.writeString(HostileProjectResource.secrets.resolve("db-password"), HostileProjectResource.SECRET2);
            HostileProjectResource.writeWeb("berth-test/app:v1", "two");
            await().atMost(Duration.ofSeconds(120)).until(() -> atRevision(2, "Available"));
            assertThat(readSecretInEveryReplica(docker)).containsOnly(HostileProjectResource.SECRET2);

            // A rollout that fails its health checks (revision 3) and is rolled back on its own.
            HostileProjectResource.writeWeb("berth-test/app:unhealthy", "three");
            await().atMost(Duration.ofSeconds(180)).until(() -> atRevision(2, "RolledBack"));

            // A rollback over REST to revision 1, whose snapshot still holds the first value.
            HttpResponse<String> rollback = send("POST", W + "/rollback", "{\"revision\": 1}");
            assertThat(rollback.statusCode()).as(rollback.body()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(120)).until(() -> atRevision(1, "RolledBack") && allReady());
            assertThat(readSecretInEveryReplica(docker)).containsOnly(HostileProjectResource.SECRET);

            Map<String, String> places = new LinkedHashMap<>();
            places.put("Berth's log file " + LOG, Files.readString(LOG));
            for (String path : List.of("/api/v1/services", W, W + "/revisions", W + "/health", "/api/v1/services/marked",
                    "/api/v1/services/marked/revisions", "/api/v1/events", "/api/v1/events?service=web", "/api/v1/problems",
                    "/q/metrics", "/q/health", "/q/health/live", "/q/health/ready", "/q/health/group/services",
                    "/", "/index.html", "/status.js", "/q/openapi")) {
                HttpResponse<String> a = send("GET", path, null);
                assertThat(a.statusCode()).as(path).isIn(200, 503);
                places.put("GET " + path, a.body());
            }
            places.put("GET /api/v1/events/stream (backlog)", streamBacklog());
            List<String> created = new ArrayList<>();
            for (var c : docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of("dev.berth.project", HostileProjectResource.project)).exec()) {
                created.add(c.getId());
                places.put("docker inspect " + c.getNames()[0], JSON.writeValueAsString(docker.inspectContainerCmd(c.getId()).exec()));
            }
            assertThat(created).as("containers of the project").hasSizeGreaterThanOrEqualTo(2);
            for (var n : docker.listNetworksCmd().exec()) {
                if (n.getName().startsWith(HostileProjectResource.project)) {
                    places.put("docker network inspect " + n.getName(), JSON.writeValueAsString(n));
                }
            }
            Path state = HostileProjectResource.state;
            Path snapshots = state.resolve("files");
            int stateFiles = 0;
            try (Stream<Path> files = Files.walk(state)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    if (!inRevisionSnapshot(snapshots, f)) {
                        places.put("state file " + state.relativize(f), Files.readString(f, StandardCharsets.ISO_8859_1));
                        stateFiles++;
                    }
                }
            }
            assertThat(stateFiles).as("state files outside the snapshots (salt, services/web.json, …)").isGreaterThanOrEqualTo(2);

            List<String> leaks = new ArrayList<>();
            places.forEach((where, text) -> values.forEach(v -> {
                if (text.contains(v)) {
                    leaks.add(v + " in " + where);
                }
            }));
            assertThat(leaks).as("secret values found in " + places.size() + " places searched").isEmpty();

            // Positive control: the same search finds both values in the revision snapshots, where they must be.
            StringBuilder inSnapshots = new StringBuilder();
            checkSnapshotModes(snapshots, inSnapshots);
            assertThat(inSnapshots.toString()).contains(values);
        }
    }

    /** Files under {@code files/<service>/<specHash>/}, the revision snapshots that containers mount. */
    private static boolean inRevisionSnapshot(Path snapshots, Path f) {
        return f.startsWith(snapshots) && snapshots.relativize(f).getNameCount() >= 3;
    }

    /**
     * Every secret snapshot sits in a {@code secrets/} directory only its owner can enter (0700)
     * and is writable by its owner at most (0444 by default, behind that directory); state files
     * outside the snapshots that hold key material are 0600.
     */
    private static void checkSnapshotModes(Path snapshots, StringBuilder contents) throws Exception {
        int secretsSeen = 0;
        try (Stream<Path> files = Files.walk(snapshots)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isDirectory(f) && f.getFileName().toString().equals("secrets")) {
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString())
                            .isEqualTo("rwx------");
                } else if (Files.isRegularFile(f) && f.getParent().getFileName().toString().equals("secrets")) {
                    Set<PosixFilePermission> p = Files.getPosixFilePermissions(f);
                    assertThat(p).as(f + " " + PosixFilePermissions.toString(p)).doesNotContain(
                            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE,
                            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
                    contents.append(Files.readString(f)).append('\n');
                    secretsSeen++;
                }
            }
        }
        assertThat(secretsSeen).as("secret snapshots of the kept revisions").isGreaterThanOrEqualTo(2);
        Path state = snapshots.getParent();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("salt")))).isEqualTo("rw-------");
        try (Stream<Path> json = Files.list(state.resolve("services"))) {
            for (Path f : (Iterable<Path>) json::iterator) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString()).isEqualTo("rw-------");
            }
        }
    }

    private List<String> readSecretInEveryReplica(DockerClient docker) throws Exception {
        List<String> seen = new ArrayList<>();
        for (JsonNode c : get(W).path("containers")) {
            if ("running".equals(c.path("state").asText())) {
                seen.add(ContainerOutput.exec(docker, c.path("id").asText(), "cat", "/run/secrets/db-password").strip());
            }
        }
        assertThat(seen).isNotEmpty();
        return seen;
    }

    private boolean atRevision(int revision, String phase) throws Exception {
        JsonNode s = get(W);
        return s != null && s.path("revision").asInt() == revision && phase.equals(s.path("phase").asText());
    }

    private boolean allReady() throws Exception {
        JsonNode s = get(W);
        return s.path("replicas").path("ready").asInt() == 2 && s.path("containers").size() == 2;
    }

    /** The event stream's backlog: the lines that arrive within two seconds. */
    private String streamBacklog() throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + base.getPort() + "/api/v1/events/stream"))
                .header("Authorization", "Bearer " + HostileProjectResource.TOKEN).build();
        HttpResponse<java.io.InputStream> a = HTTP.send(r, HttpResponse.BodyHandlers.ofInputStream());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (var in = a.body()) {
                in.transferTo(out);
            } catch (java.io.IOException closed) {
                // closed below
            }
        });
        reader.start();
        reader.join(2000);
        a.body().close();
        String text;
        synchronized (out) {
            text = out.toString(StandardCharsets.UTF_8);
        }
        assertThat(text).contains("data:");
        return text;
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> a = send("GET", path, null);
        return a.statusCode() == 200 ? JSON.readTree(a.body()) : null;
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + base.getPort() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + HostileProjectResource.TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
