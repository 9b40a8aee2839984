package dev.berth.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.desired.DesiredState;
import dev.berth.manifest.Locator;
import dev.berth.manifest.Problem;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each row: manifests that one host runs → the problems a Swarm backend reports for them, as
 * {@code file: field: words of the reason} (empty: it maps). The manifests load cleanly: these are
 * not manifest errors, only what Swarm cannot do.
 */
class SwarmCheckTest {
    @TempDir
    Path root;

    record Row(String name, Map<String, String> files, String project, List<String> expected) {
        Row(String name, Map<String, String> files, List<String> expected) {
            this(name, files, SwarmFixture.PROJECT, expected);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static String web(String extra) {
        return SwarmFixture.service("web", extra);
    }

    static String volume(String name, String spec) {
        return "apiVersion: berth.dev/v1\nkind: Volume\nmetadata: {name: " + name + "}\n" + spec;
    }

    static String network(String name, String driver) {
        return "apiVersion: berth.dev/v1\nkind: Network\nmetadata: {name: " + name + "}\nspec: {driver: " + driver + "}\n";
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("a service that maps has no problem", Map.of("web.yaml", web("  replicas: 3\n  ports: [{port: 8080, targetPort: 80}]\n"
                        + "  healthcheck: {http: {path: /, port: 80}}\n")), List.of()),
                new Row("bind mount → refused", Map.of("web.yaml", web("  volumes: [{source: ./html, target: /srv}]\n"),
                        "html/index.html", "hi"),
                        List.of("web.yaml: spec.volumes[0].source: nodes do not share a file system")),
                new Row("bind mount after a named volume: the field names its index",
                        Map.of("web.yaml", web("  volumes: [{name: data, target: /data}, {source: ./html, target: /srv, readOnly: true}]\n"),
                                "html/index.html", "hi", "data.yaml", volume("data", "")),
                        List.of("web.yaml: spec.volumes[1].source: does not map to Swarm")),
                new Row("local volume, several replicas → refused", Map.of("web.yaml", web("  replicas: 2\n  volumes: [{name: data, target: /data}]\n"),
                        "data.yaml", volume("data", "")),
                        List.of("web.yaml: spec.volumes[0].name: volume 'data' uses the local driver")),
                new Row("local volume, several replicas pinned to one node → maps",
                        Map.of("web.yaml", web("  replicas: 2\n  volumes: [{name: data, target: /data}]\n"
                                + "  placement: {constraints: [node.hostname==db1]}\n"), "data.yaml", volume("data", "")), List.of()),
                new Row("local volume, several replicas, a constraint that allows several nodes → refused",
                        Map.of("web.yaml", web("  replicas: 2\n  volumes: [{name: data, target: /data}]\n"
                                + "  placement: {constraints: [node.hostname!=db1]}\n"), "data.yaml", volume("data", "")),
                        List.of("web.yaml: spec.volumes[0].name: a placement constraint on one node")),
                new Row("local volume, one replica → maps", Map.of("web.yaml", web("  volumes: [{name: data, target: /data}]\n"),
                        "data.yaml", volume("data", "")), List.of()),
                new Row("tmpfs volume, several replicas → maps (no data to share)",
                        Map.of("web.yaml", web("  replicas: 3\n  volumes: [{name: scratch, target: /tmp}]\n"),
                                "scratch.yaml", volume("scratch", "spec: {driverOpts: {type: tmpfs, device: tmpfs}}\n")), List.of()),
                new Row("a shared volume driver, several replicas → maps",
                        Map.of("web.yaml", web("  replicas: 3\n  volumes: [{name: shared, target: /data}]\n"),
                                "shared.yaml", volume("shared", "spec: {driver: rexray/efs}\n")), List.of()),
                new Row("http check expecting 401 → refused", Map.of("web.yaml", web("  healthcheck: {http: {path: /, port: 80, status: 401}}\n")),
                        List.of("web.yaml: spec.healthcheck.http.status: cannot expect 401")),
                new Row("http check expecting 204 → maps", Map.of("web.yaml", web("  healthcheck: {http: {path: /, port: 80, status: 204}}\n")),
                        List.of()),
                new Row("macvlan network → refused, charged to the network's file",
                        Map.of("web.yaml", web("  networks: [lan]\n"), "net.yaml", network("lan", "macvlan")),
                        List.of("net.yaml: spec.driver: driver macvlan does not map to Swarm")),
                new Row("overlay network → maps", Map.of("web.yaml", web("  networks: [lan]\n"), "net.yaml", network("lan", "overlay")),
                        List.of()),
                new Row("<project>_<service> longer than 63 → refused",
                        Map.of("web.yaml", web("")), "p".repeat(60), List.of("web.yaml: metadata.name: Swarm allows at most 63")),
                new Row("<project>_<service> of exactly 63 → maps", Map.of("web.yaml", web("")), "p".repeat(59), List.of()),
                new Row("a project too long for object names, with a secret → refused",
                        Map.of("web.yaml", web("  secrets: [{name: pw}]\n")), "p".repeat(49),
                        List.of("web.yaml: spec.secrets: leaves no room")),
                new Row("the longest project that leaves room for object names → maps",
                        Map.of("web.yaml", web("  secrets: [{name: pw}]\n")), "p".repeat(48), List.of()),
                new Row("every problem of a file at once",
                        Map.of("web.yaml", web("  replicas: 2\n  volumes: [{source: ./html, target: /srv}, {name: data, target: /data}]\n"
                                + "  healthcheck: {http: {port: 80, status: 500}}\n"),
                                "html/index.html", "hi", "data.yaml", volume("data", "")),
                        List.of("web.yaml: spec.volumes[0].source: bind mount", "web.yaml: spec.volumes[1].name: 2 replicas",
                                "web.yaml: spec.healthcheck.http.status: cannot expect 500")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void whatDoesNotMapIsAProblem(Row row) {
        SwarmFixture f = new SwarmFixture(root).secret("pw", "x");
        row.files().forEach(f::write);
        DesiredState d = f.load();
        List<Problem> problems = SwarmCheck.problems(row.project(), d);
        List<Problem> placed = SwarmCheck.problems(row.project(), d, "", f.loader.locator());
        assertThat(problems).hasSize(row.expected().size());
        for (int i = 0; i < problems.size(); i++) {
            Problem p = problems.get(i);
            String[] want = row.expected().get(i).split(": ", 3);
            assertThat(p.file()).isEqualTo(want[0]);
            assertThat(p.field()).isEqualTo(want[1]);
            assertThat(p.message()).contains(want[2]);
            assertThat(placed.get(i)).as("the same problem, at its line").isEqualTo(new Problem(p.file(),
                    placed.get(i).line(), p.field(), p.message()));
            assertThat(placed.get(i).line()).as(p + ": a line").isPositive();
        }
    }

    /** What needs a newer manager than the one Berth talks to is a problem, not a field dropped silently. */
    @Test
    void aJobNeedsAManagerWithReplicatedJobs() {
        SwarmFixture f = new SwarmFixture(root).write("job.yaml", SwarmFixture.service("migrate", "  restart: on-failure\n"));
        DesiredState d = f.load();
        assertThat(SwarmCheck.problems("p", d, "1.40", Locator.NONE)).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("spec.restart");
            assertThat(p.message()).contains("restart: on-failure").contains("needs Engine API 1.41").contains("speaks 1.40");
        });
        assertThat(SwarmCheck.problems("p", d, "1.41", Locator.NONE)).isEmpty();
        assertThat(SwarmCheck.problems("p", d, "1.45", Locator.NONE)).isEmpty();
        assertThat(SwarmCheck.problems("p", d, "", Locator.NONE)).as("unknown").isEmpty();
        assertThat(SwarmCheck.below("1.9", "1.41")).isTrue();
        assertThat(SwarmCheck.below("2.0", "1.41")).isFalse();
        assertThat(SwarmCheck.below("garbage", "1.41")).isFalse();
    }

    /** Placed by the loader's documents: the line of the field, and for a Compose file its key and line. */
    @Test
    void aProblemNamesTheLineAndTheKeyTheUserWrote() throws Exception {
        SwarmFixture f = new SwarmFixture(root).write("web.yaml", SwarmFixture.service("web",
                "  replicas: 2\n  volumes:\n    - {source: ./html, target: /srv}\n")).write("html/index.html", "hi");
        java.nio.file.Files.createDirectories(f.dir.resolve("shop"));
        java.nio.file.Files.writeString(f.dir.resolve("shop/compose.yaml"), """
                services:
                  api:
                    image: localhost:5000/shop/api:1
                    healthcheck:
                      test: [CMD, wget, -q, -O-, http://127.0.0.1/]
                    volumes:
                      - ./data:/data
                """);
        java.nio.file.Files.createDirectories(f.dir.resolve("shop/data"));
        DesiredState d = f.load();
        assertThat(SwarmCheck.problems("p", d, "", f.loader.locator())).extracting(Problem::toString)
                .anySatisfy(p -> assertThat(p).startsWith("web.yaml:8: spec.volumes[0].source: a bind mount"))
                .anySatisfy(p -> assertThat(p).startsWith("shop/compose.yaml:7: services.api.volumes[0]: a bind mount"));
    }
}
