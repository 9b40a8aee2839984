package dev.berth.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.desired.NetworkSpec;
import dev.berth.desired.PullPolicy;
import dev.berth.desired.RestartPolicy;
import dev.berth.desired.SecretMount;
import dev.berth.desired.ServiceSpec;
import dev.berth.desired.VolumeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad inputs, each with the line, field and reason a user must see. No engine needed. */
class ManifestValidationTest {
    private static final String HEAD = "apiVersion: berth.dev/v1\nkind: Service\nmetadata:\n  name: web\nspec:\n";

    @TempDir
    Path dir;
    Path secrets;

    @BeforeEach
    void setUp() throws IOException {
        secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("db-password"), "s3cret");
        Files.writeString(dir.resolve("web.env"), "# comment\nA=1\nexport B='two'\n");
        Files.writeString(dir.resolve("nginx.conf"), "events {}\n");
        Files.createDirectories(dir.resolve("html"));
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                // yaml, line, field, message fragment
                Arguments.of(HEAD + "  image: [", 6, "", "not valid YAML"),
                Arguments.of(HEAD.replace("berth.dev/v1", "v1") + "  image: a", 1, "apiVersion", "berth.dev/v1"),
                Arguments.of(HEAD.replace("Service", "Deployment") + "  image: a", 2, "kind", "Service"),
                Arguments.of(HEAD.replace("  name: web\n", "  name: Web_1\n") + "  image: a", 4, "metadata.name", "DNS label"),
                Arguments.of(HEAD + "  replicas: 2\n", 5, "spec.image", "is required"),
                Arguments.of(HEAD + "  image: a\n  replicas: two\n", 7, "spec.replicas", "whole number"),
                Arguments.of(HEAD + "  image: a\n  replicas: -1\n", 7, "spec.replicas", "minimum"),
                Arguments.of(HEAD + "  image: a\n  imagePullPolicy: Always\n", 7, "spec.imagePullPolicy", "unknown field 'imagePullPolicy'"),
                Arguments.of(HEAD + "  image: a\n  ports:\n    - port: 70000\n      targetPort: 80\n", 8, "spec.ports[0].port", "65535"),
                Arguments.of(HEAD + "  image: a\n  ports:\n    - port: 80\n", 8, "spec.ports[0].targetPort", "is required"),
                Arguments.of(HEAD + "  image: a\n  ports:\n    - {port: 80, targetPort: 80}\n    - {port: 80, targetPort: 81}\n", 9, "spec.ports[1].port", "published twice"),
                Arguments.of(HEAD + "  image: a\n  stopGracePeriod: 10 seconds\n", 7, "spec.stopGracePeriod", "duration"),
                Arguments.of(HEAD + "  image: a\n  restart: sometimes\n", 7, "spec.restart", "must be one of"),
                Arguments.of(HEAD + "  image: a\n  resources: {memory: 12 parsecs}\n", 7, "spec.resources.memory", "memory size"),
                Arguments.of(HEAD + "  image: a\n  resources: {memory: 1Ki}\n", 7, "spec.resources.memory", "at least 6Mi"),
                Arguments.of(HEAD + "  image: a\n  resources: {cpus: lots}\n", 7, "spec.resources.cpus", "CPU count"),
                Arguments.of(HEAD + "  image: a\n  envFiles: [missing.env]\n", 7, "spec.envFiles[0]", "cannot read env file"),
                Arguments.of(HEAD + "  image: a\n  secrets: [{name: nope}]\n", 7, "spec.secrets[0].name", "not found in the secrets directory"),
                Arguments.of(HEAD + "  image: a\n  secrets: [{name: db-password, mode: \"0999\"}]\n", 7, "spec.secrets[0].mode", "not a file mode: '0999'; write it in octal"),
                Arguments.of(HEAD + "  image: a\n  secrets: [{name: db-password, mode: 01000}]\n", 7, "spec.secrets[0].mode", "not a file mode: decimal 512"),
                Arguments.of(HEAD + "  image: a\n  secrets: [{name: db-password, uid: -1}]\n", 7, "spec.secrets[0].uid", "minimum"),
                Arguments.of(HEAD + "  image: a\n  configs:\n    - source: nope.conf\n      target: /etc/x\n", 8, "spec.configs[0].source", "does not exist"),
                Arguments.of(HEAD + "  image: a\n  configs:\n    - source: nginx.conf\n      target: etc/x\n", 9, "spec.configs[0].target", "absolute path"),
                Arguments.of(HEAD + "  image: a\n  volumes:\n    - {name: data, source: ./html, target: /x}\n", 8, "spec.volumes[0]", "not both"),
                Arguments.of(HEAD + "  image: a\n  volumes:\n    - {target: /x}\n", 8, "spec.volumes[0]", "not neither"),
                Arguments.of(HEAD + "  image: a\n  volumes:\n    - {source: ./nothing-here, target: /x}\n", 8, "spec.volumes[0].source", "does not exist"),
                Arguments.of(HEAD + "  image: a\n  volumes:\n    - {name: data, target: /x}\n    - {name: logs, target: /x}\n", 9, "spec.volumes[1].target", "mounted twice"),
                Arguments.of(HEAD + "  image: a\n  configs:\n    - {source: nginx.conf, target: /etc/x}\n    - {source: nginx.conf, target: /etc/x}\n", 9, "spec.configs[1].target", "used twice"),
                Arguments.of(HEAD + "  image: a\n  volumes: [{name: data, target: /run/secrets/db-password}]\n  secrets: [{name: db-password}]\n", 8, "spec.secrets[0].target", "also used by spec.volumes[0]"),
                Arguments.of(HEAD + "  image: a\n  labels: {dev.berth.service: x}\n", 7, "spec.labels.dev.berth.service", "reserved"),
                Arguments.of(HEAD + "  image: a\n  env: {A: 1}\n  env: {B: 2}\n", 8, "spec.env", "duplicate key"),
                Arguments.of(HEAD + "  image: a\n  networks: [Back_End]\n", 7, "spec.networks[0]", "DNS label"),
                Arguments.of("- just\n- a list\n", 1, "", "must be a mapping"),
                Arguments.of(HEAD + "  image: a\n  healthcheck: {interval: 2s}\n", 7, "spec.healthcheck", "exactly one of http, tcp or exec"),
                Arguments.of(HEAD + "  image: a\n  healthcheck: {tcp: {port: 80}, exec: {command: [\"true\"]}}\n", 7, "spec.healthcheck", "exactly one"),
                Arguments.of(HEAD + "  image: a\n  healthcheck: {http: {path: /x}}\n", 7, "spec.healthcheck.http.port", "is required"),
                Arguments.of(HEAD + "  image: a\n  update: {maxSurge: 150%}\n", 7, "spec.update.maxSurge", "at most 100%"),
                Arguments.of(HEAD + "  image: a\n  update: {maxSurge: lots}\n", 7, "spec.update.maxSurge", "percentage such as 25%"),
                Arguments.of(HEAD + "  image: a\n  update: {order: sideways}\n", 7, "spec.update.order", "must be one of"),
                Arguments.of(HEAD + "  image: a\n  ports: [{port: 53, targetPort: 53, protocol: udp}]\n", 7, "spec.ports[0].protocol", "mode: host"),
                Arguments.of("apiVersion: berth.dev/v1\nkind: Network\nmetadata: {name: n}\nspec: {driver: 3}\n", 4, "spec.driver", "must be text"));
    }

    @ParameterizedTest(name = "[{index}] {3}")
    @MethodSource("badInputs")
    void rejectsWithFileLineFieldAndReason(String yaml, int line, String field, String fragment) {
        ManifestParser parser = new ManifestParser(secrets);
        assertThatThrownBy(() -> parser.parse("web.yaml", dir.resolve("web.yaml"), yaml))
                .isInstanceOfSatisfying(ManifestException.class, e -> {
                    assertThat(e.problems()).anySatisfy(p -> {
                        assertThat(p.file()).isEqualTo("web.yaml");
                        assertThat(p.line()).as("line of %s", p).isEqualTo(line);
                        assertThat(p.field()).as("field of %s", p).isEqualTo(field);
                        assertThat(p.message()).as("message of %s", p).contains(fragment);
                    });
                });
    }

    @Test
    void bindsEveryFieldOfAFullService() throws Exception {
        String yaml = HEAD + """
                  image: localhost:5000/shop/web:1.4.2
                  pullPolicy: always
                  replicas: 3
                  command: [httpd, -f]
                  entrypoint: [/bin/sh, -c]
                  workingDir: /srv
                  env: {LOG_LEVEL: info, B: override, N: 5}
                  envFiles: [web.env]
                  secrets: [{name: db-password}, {name: db-password, target: /etc/pw}, {name: db-password, target: /etc/pw2,
                             uid: 1000, gid: 1001, mode: 0400}, {name: db-password, target: /etc/pw3, mode: "0440"}]
                  configs: [{source: nginx.conf, target: /etc/nginx/nginx.conf}]
                  ports: [{port: 8080, targetPort: 80}, {port: 5353, targetPort: 53, protocol: udp, mode: host}]
                  volumes: [{name: data, target: /var/lib/data}, {source: ./html, target: /srv, readOnly: true}]
                  networks: [backend]
                  labels: {team: shop}
                  resources: {memory: 256Mi, cpus: "0.5"}
                  user: "1000:1000"
                  stopGracePeriod: 1m30s
                  restart: no
                  init: true
                  dependsOn: [db]
                  healthcheck: {http: {path: /healthz, port: 80, status: 204}, interval: 3s, timeout: 500ms, retries: 5, startPeriod: 10s}
                  update: {order: stop-first, maxSurge: 25%, maxUnavailable: 1, minReadySeconds: 2, progressDeadlineSeconds: 60,
                           failureAction: pause, monitorSeconds: 5, drainSeconds: 3}
                  revisionHistoryLimit: 4
                  restartBackoff: {initial: 2s, max: 1m, reset: 5m}
                ---
                apiVersion: berth.dev/v1
                kind: Network
                metadata: {name: backend}
                spec: {internal: true}
                ---
                apiVersion: berth.dev/v1
                kind: Volume
                metadata: {name: data}
                """;
        List<Declaration> docs = new ManifestParser(secrets).parse("web.yaml", dir.resolve("web.yaml"), yaml).declarations();
        assertThat(docs).hasSize(3);
        ServiceSpec s = (ServiceSpec) docs.get(0).spec();
        assertThat(s.image()).isEqualTo("localhost:5000/shop/web:1.4.2");
        assertThat(s.pullPolicy()).isEqualTo(PullPolicy.ALWAYS);
        assertThat(s.replicas()).isEqualTo(3);
        assertThat(s.command()).containsExactly("httpd", "-f");
        assertThat(s.entrypoint()).containsExactly("/bin/sh", "-c");
        assertThat(s.env()).containsEntry("A", "1").containsEntry("B", "override").containsEntry("N", "5")
                .containsEntry("LOG_LEVEL", "info");
        assertThat(s.secrets()).extracting(x -> x.target()).containsExactly("/run/secrets/db-password", "/etc/pw", "/etc/pw2",
                "/etc/pw3");
        assertThat(s.secrets().get(0)).isEqualTo(new SecretMount("db-password", "/run/secrets/db-password", 0, 0, 0444));
        assertThat(s.secrets().get(2)).isEqualTo(new SecretMount("db-password", "/etc/pw2", 1000, 1001, 0400));
        assertThat(s.secrets().get(3).mode()).isEqualTo(0440);
        assertThat(s.configs().get(0).source()).isEqualTo(dir.resolve("nginx.conf"));
        assertThat(s.ports().get(1).transport()).isEqualTo("udp");
        assertThat(s.volumes().get(0).volume()).isEqualTo("data");
        assertThat(s.volumes().get(1).hostPath()).isEqualTo(dir.resolve("html"));
        assertThat(s.volumes().get(1).readOnly()).isTrue();
        assertThat(s.resources().memoryBytes()).isEqualTo(256L << 20);
        assertThat(s.resources().nanoCpus()).isEqualTo(500_000_000L);
        assertThat(s.stopGracePeriod()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.restart()).isEqualTo(RestartPolicy.NO);
        assertThat(s.isJob()).isTrue();
        assertThat(s.init()).isTrue();
        assertThat(s.labels()).containsEntry("team", "shop");
        assertThat(s.ports().get(1).mode()).isEqualTo(dev.berth.desired.PortSpec.Mode.HOST);
        assertThat(s.ports().get(0).proxied()).isTrue();
        assertThat(s.healthcheck()).isEqualTo(new dev.berth.desired.HealthCheck(dev.berth.desired.HealthCheck.Kind.HTTP,
                "/healthz", 80, 204, List.of(), Duration.ofSeconds(3), Duration.ofMillis(500), 5, Duration.ofSeconds(10)));
        assertThat(s.update()).isEqualTo(new dev.berth.desired.UpdatePolicy(dev.berth.desired.UpdatePolicy.Order.STOP_FIRST,
                new dev.berth.desired.IntOrPercent(25, true), new dev.berth.desired.IntOrPercent(1, false), Duration.ofSeconds(2),
                Duration.ofSeconds(60), dev.berth.desired.UpdatePolicy.FailureAction.PAUSE, Duration.ofSeconds(5),
                Duration.ofSeconds(3)));
        assertThat(s.revisionHistoryLimit()).isEqualTo(4);
        assertThat(s.restartBackoff()).isEqualTo(new dev.berth.desired.BackoffPolicy(Duration.ofSeconds(2),
                Duration.ofMinutes(1), Duration.ofMinutes(5)));
        assertThat(((NetworkSpec) docs.get(1).spec()).internal()).isTrue();
        assertThat(((VolumeSpec) docs.get(2).spec()).driver()).isEqualTo("local");
    }

    @Test
    void reportsEveryProblemOfAFileAtOnce() {
        String yaml = HEAD + "  image: a\n  replicas: x\n  colour: blue\n";
        assertThatThrownBy(() -> new ManifestParser(secrets).parse("web.yaml", dir.resolve("web.yaml"), yaml))
                .isInstanceOfSatisfying(ManifestException.class, e ->
                        assertThat(e.problems()).extracting(Problem::field).contains("spec.replicas", "spec.colour"));
    }

    @Test
    void emptyDocumentsAreSkipped() throws Exception {
        String yaml = "---\n# nothing\n---\n" + HEAD + "  image: a\n---\n";
        assertThat(new ManifestParser(secrets).parse("web.yaml", dir.resolve("web.yaml"), yaml).declarations()).hasSize(1);
    }
}
