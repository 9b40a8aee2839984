package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code berth apply --wait} as a pipeline gate: the exit code for each way a rollout ends, and
 * that a status still carrying the previous manifest's hash never counts as the new one.
 */
class ApplyWaitTest extends AgainstStubDaemon {
    static final String WEB = """
            apiVersion: berth.dev/v1
            kind: Service
            metadata: {name: web}
            spec:
              image: berth-test/app:v2
              replicas: 2
            """;
    static final String PUT_ANSWER = """
            {"path":"web.yaml","hash":"sha256:f1","created":false,"services":[{"name":"web","manifestHash":"new"}]}""";

    Path manifests;

    @Override
    void stubs(StubDaemon daemon) {
        daemon.on("PUT /api/v1/manifests/web.yaml", 200, PUT_ANSWER);
    }

    @BeforeEach
    void writeManifest() throws Exception {
        manifests = Files.createDirectories(tmp.resolve("manifests"));
        Files.writeString(manifests.resolve("web.yaml"), WEB);
    }

    CliRun apply(String... more) {
        String[] base = {"apply", "-f", manifests.toString(), "--server", daemon.url(), "--token", "t", "--poll", "10ms"};
        return CliRun.run(Map.of("BERTH_STATE_DIR", tmp.toString()), tmp, Stream.concat(Stream.of(base), Stream.of(more))
                .toArray(String[]::new));
    }

    /** The status answers in order: the old manifest still Available, then Progressing, then {@code end} for good. */
    void rollout(String endPhase, String endMessage) {
        AtomicInteger calls = new AtomicInteger();
        List<String> answers = List.of(StubDaemon.status("web", "Available", "old", null),
                StubDaemon.status("web", "Progressing", "new", "1 of 2 replicas of revision 2 up, 1 ready"),
                StubDaemon.status("web", endPhase, "new", endMessage));
        daemon.on("GET /api/v1/services/web",
                r -> StubDaemon.Reply.json(200, answers.get(Math.min(calls.getAndIncrement(), answers.size() - 1))));
    }

    static Stream<Arguments> endings() {
        return Stream.of(
                Arguments.of("Available", null, Exit.OK, "web: rollout complete (Available, revision 2)"),
                Arguments.of("Completed", "job completed", Exit.OK, "web: rollout complete (Completed, revision 2)"),
                Arguments.of("Failed", "rollout failed: replica web-r2-1 is unhealthy (HTTP 500)", Exit.FAILED,
                        "rollout of web failed: Failed: rollout failed: replica web-r2-1 is unhealthy (HTTP 500)"),
                Arguments.of("RolledBack", "rolled back to revision 1: probe failed", Exit.FAILED,
                        "rollout of web failed: RolledBack: rolled back to revision 1: probe failed"),
                Arguments.of("Paused", "rollout paused: progress deadline exceeded", Exit.FAILED,
                        "rollout of web failed: Paused: rollout paused: progress deadline exceeded"));
    }

    @ParameterizedTest(name = "{0} -> exit {2}")
    @MethodSource("endings")
    void exitCodeFollowsHowTheRolloutEnds(String phase, String message, int exit, String said) {
        rollout(phase, message);
        CliRun r = apply("--wait", "--timeout", "20s");
        assertThat(r.code()).as(r.toString()).isEqualTo(exit);
        assertThat(r.out() + r.err()).as(r.toString()).contains(said)
                .contains("web.yaml configured (web)")
                .contains("web: waiting for Berth to load the new manifest")
                .contains("web: Progressing, revision 2, 1/2 ready, 1 updated: 1 of 2 replicas of revision 2 up, 1 ready");
    }

    @Test
    void anAvailableStatusOfThePreviousManifestIsNotSuccessButATimeout() {
        daemon.on("GET /api/v1/services/web", 200, StubDaemon.status("web", "Available", "old", null));
        CliRun r = apply("--wait", "--timeout", "300ms");
        assertThat(r.code()).as(r.toString()).isEqualTo(Exit.TIMEOUT);
        assertThat(r.err()).contains("timed out after 300ms waiting for web (waiting for Berth to load the new manifest)");
    }

    @Test
    void aRolloutThatNeverEndsTimesOutWithWhereItStands() {
        daemon.on("GET /api/v1/services/web", 200, StubDaemon.status("web", "Progressing", "new", "1 of 2 up"));
        CliRun r = apply("--wait", "--timeout", "300ms");
        assertThat(r.code()).as(r.toString()).isEqualTo(Exit.TIMEOUT);
        assertThat(r.err()).contains("waiting for web (Progressing, revision 2, 1/2 ready, 1 updated: 1 of 2 up)");
    }

    @Test
    void withoutWaitApplyPushesAndReturns() {
        CliRun r = apply();
        assertThat(r.code()).as(r.toString()).isZero();
        StubDaemon.Request put = daemon.requests.get(0);
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.contentType()).isEqualTo("application/yaml");
        assertThat(put.body()).isEqualTo(WEB);
        assertThat(put.authorization()).isEqualTo("Bearer t");
        assertThat(daemon.requests).hasSize(1);
    }

    @Test
    void filesInSubdirectoriesArePushedUnderTheirRelativePath() throws Exception {
        Files.createDirectories(manifests.resolve("team a"));
        Files.writeString(manifests.resolve("team a/api.yaml"), WEB.replace("name: web", "name: api"));
        daemon.on("PUT /api/v1/manifests/team%20a/api.yaml", 201,
                "{\"path\":\"team a/api.yaml\",\"created\":true,\"services\":[{\"name\":\"api\",\"manifestHash\":\"a\"}]}");
        CliRun r = apply();
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("team a/api.yaml created (api)").contains("web.yaml configured (web)");
    }

    @Test
    void anInvalidManifestIsRefusedLocallyAndNothingIsSent() throws Exception {
        Files.writeString(manifests.resolve("web.yaml"), WEB.replace("replicas: 2", "replicas: -1"));
        CliRun r = apply("--wait");
        assertThat(r.code()).as(r.toString()).isEqualTo(Exit.FAILED);
        assertThat(r.err()).contains("invalid manifests, nothing was pushed")
                .contains(manifests.resolve("web.yaml") + ":6: spec.replicas: must have a minimum value of 0");
        assertThat(daemon.requests).isEmpty();
    }

    @Test
    void theDaemonsRefusalNamesFileLineFieldAndReason() {
        daemon.on("PUT /api/v1/manifests/web.yaml", 422, """
                {"status":422,"message":"web.yaml is invalid","problems":[
                 {"file":"web.yaml","line":4,"field":"metadata.name","message":"Service 'web' is already declared in a.yaml"}]}""");
        CliRun r = apply("--wait");
        assertThat(r.code()).as(r.toString()).isEqualTo(Exit.FAILED);
        assertThat(r.err()).contains("web.yaml: invalid manifest: web.yaml is invalid\n"
                + "web.yaml:4: metadata.name: Service 'web' is already declared in a.yaml");
    }
}
