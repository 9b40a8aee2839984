package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each command sends the request docs/api.md and the contract describe, and prints the answer. */
class CommandsTest extends AgainstStubDaemon {
    static final String EVENT_1 = "{\"seq\":41,\"time\":\"2026-11-28T05:21:40.100Z\",\"service\":\"web\",\"revision\":2,"
            + "\"type\":\"Normal\",\"reason\":\"RolloutStarted\",\"message\":\"COMPLETE → PROGRESSING: new revision 2\"}";
    static final String EVENT_2 = "{\"seq\":42,\"time\":\"2026-11-28T05:21:47.000Z\",\"service\":\"web\",\"revision\":2,"
            + "\"type\":\"Normal\",\"reason\":\"RolloutComplete\",\"message\":\"revision 2 available\"}";


    @Override
    void stubs(StubDaemon daemon) {
    }

    @Test
    void eventsFollowTheStreamAndSayWhenItEnds() {
        daemon.on("GET /api/v1/events/stream", r -> new StubDaemon.Reply(200, "text/event-stream",
                "id:41\ndata:" + EVENT_1 + "\n\nid:42\ndata:" + EVENT_2 + "\n\n", Map.of()));
        CliRun r = berth("events", "-f", "--service", "web");
        assertThat(r.code()).as(r.toString()).isEqualTo(Exit.UNREACHABLE);
        assertThat(r.err()).contains("Berth closed the event stream");
        assertThat(r.out().lines().toList()).containsExactly(
                "TIME                   TYPE      SERVICE            REV   REASON               MESSAGE",
                "2026-11-28T05:21:40Z   Normal    web                2     RolloutStarted       COMPLETE → PROGRESSING: new revision 2",
                "2026-11-28T05:21:47Z   Normal    web                2     RolloutComplete      revision 2 available");
        assertThat(daemon.requests.get(0).query()).isEqualTo("service=web");
    }

    @Test
    void followedEventsAsJsonLines() throws Exception {
        daemon.on("GET /api/v1/events/stream", r -> new StubDaemon.Reply(200, "text/event-stream",
                "id:41\ndata:" + EVENT_1 + "\n\n", Map.of()));
        CliRun r = berth("events", "-f", "-o", "json");
        assertThat(r.out().lines().toList()).hasSize(1);
        assertThat(Json.MAPPER.readTree(r.out())).isEqualTo(Json.MAPPER.readTree(EVENT_1));
    }

    @Test
    void eventsWithoutFollowAreATable() {
        daemon.on("GET /api/v1/events", 200, "[" + EVENT_1 + "," + EVENT_2 + "]");
        CliRun r = berth("get", "events", "--service", "web", "--limit", "2");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(daemon.requests.get(0).query()).isEqualTo("service=web&limit=2");
        assertThat(r.out().lines().toList().get(0)).isEqualTo("AGE   TYPE     SERVICE   REVISION   REASON            MESSAGE");
        assertThat(r.out()).contains("RolloutComplete   revision 2 available");
    }

    @Test
    void undoToARevisionSendsItsNumber() {
        daemon.on("POST /api/v1/services/web/rollback", 202,
                StubDaemon.status("web", "Progressing", "h", "rolling back to revision 1: asked"));
        CliRun r = berth("rollout", "undo", "web", "--to-revision", "1");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(daemon.requests.get(0).body()).isEqualTo("{\"revision\": 1}");
        assertThat(daemon.requests.get(0).contentType()).isEqualTo("application/json");
        assertThat(r.out()).isEqualTo("web: rollback accepted; now Progressing, revision 2, 1/2 ready, 1 updated: "
                + "rolling back to revision 1: asked\n");
        berth("rollout", "undo", "web");
        assertThat(daemon.requests.get(1).body()).isEmpty();
    }

    @Test
    void eachRolloutVerbIsItsAction() {
        for (String[] verb : new String[][] {{"pause", "pause"}, {"resume", "resume"}, {"restart", "restart"},
                {"retry", "retry"}}) {
            daemon.on("POST /api/v1/services/web/" + verb[1], 202, StubDaemon.status("web", "Progressing", "h", null));
            CliRun r = berth("rollout", verb[0], "web");
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.out()).startsWith("web: " + verb[0] + " accepted; now Progressing");
        }
        assertThat(daemon.requests).extracting(StubDaemon.Request::path).containsExactly(
                "/api/v1/services/web/pause", "/api/v1/services/web/resume", "/api/v1/services/web/restart",
                "/api/v1/services/web/retry");
    }

    @Test
    void rolloutStatusFollowsThePhaseAlone() {
        daemon.on("GET /api/v1/services/web", 200, StubDaemon.status("web", "RolledBack", "h", "rolled back to revision 1"));
        CliRun r = berth("rollout", "status", "web", "--timeout", "5s");
        assertThat(r.code()).as(r.toString()).isEqualTo(Exit.FAILED);
        assertThat(r.err()).contains("rollout of web failed: RolledBack: rolled back to revision 1");
    }

    @Test
    void diffAsksForAPlanPerFileAndPrintsIt() throws Exception {
        Path web = tmp.resolve("web.yaml");
        Files.writeString(web, ApplyWaitTest.WEB);
        daemon.on("POST /api/v1/plan", 200, """
                {"services":[{"name":"web","action":"update","changes":["image","env.FOO","replicas"],
                  "replicas":{"from":2,"to":3}},{"name":"old","action":"remove","changes":[]}],"problems":[]}""");
        CliRun r = berth("diff", "-f", web.toString());
        assertThat(r.code()).as("something would change").isEqualTo(Exit.DIFFERENT).isEqualTo(1);
        assertThat(daemon.requests.get(0).query()).isEqualTo("path=web.yaml");
        assertThat(daemon.requests.get(0).body()).isEqualTo(ApplyWaitTest.WEB);
        assertThat(r.out()).isEqualTo("""
                FILE       SERVICE   ACTION   CHANGES
                web.yaml   web       update   image, env.FOO, replicas 2 → 3
                web.yaml   old       remove
                """);
    }

    static final String WEB_UNCHANGED = "{\"name\":\"web\",\"action\":\"unchanged\",\"changes\":[]}";

    @Test
    void diffExitsZeroWhenNoFileWouldChangeAnything() throws Exception {
        CliRun r = berth("diff", "-f", twoFilesPlanned(WEB_UNCHANGED, "").toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(daemon.requests).hasSize(2);
        assertThat(r.out()).contains("web.yaml   web       unchanged");
    }

    @Test
    void diffExitsOneWhenAnyFileWouldChangeSomething() throws Exception {
        Path dir = twoFilesPlanned(WEB_UNCHANGED, "{\"name\":\"db\",\"action\":\"scale\",\"changes\":[\"replicas\"],"
                + "\"replicas\":{\"from\":1,\"to\":2}}");
        CliRun r = berth("diff", "-f", dir.toString(), "-o", "json");
        assertThat(r.code()).as(r.toString()).isEqualTo(Exit.DIFFERENT);
        assertThat(r.err()).isEmpty();
    }

    /** web.yaml and db.yaml in a directory; the daemon plans {@code web} (JSON of services) for one, {@code db} for the other. */
    private Path twoFilesPlanned(String web, String db) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("manifests"));
        Files.writeString(dir.resolve("web.yaml"), ApplyWaitTest.WEB);
        Files.writeString(dir.resolve("db.yaml"), ApplyWaitTest.WEB.replace("web", "db"));
        daemon.on("POST /api/v1/plan", r -> StubDaemon.Reply.json(200, "{\"services\":["
                + (r.query().equals("path=web.yaml") ? web : db) + "],\"problems\":[]}"));
        return dir;
    }

    @Test
    void anInvalidFileIsAnErrorOfDiffNotADifference() throws Exception {
        Path web = tmp.resolve("web.yaml");
        Files.writeString(web, ApplyWaitTest.WEB);
        daemon.on("POST /api/v1/plan", 422, """
                {"status":422,"message":"web.yaml is invalid","problems":[
                 {"file":"web.yaml","line":6,"field":"spec.replicas","message":"must have a minimum value of 0"}]}""");
        CliRun r = berth("diff", "-f", web.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(Exit.REFUSED).isGreaterThan(1);
        assertThat(r.err()).contains("web.yaml: invalid manifest: web.yaml is invalid\n"
                + "web.yaml:6: spec.replicas: must have a minimum value of 0");
    }

    @Test
    void logsPassTheTextThroughWithTheAskedOptions() {
        daemon.on("GET /api/v1/services/web/logs", r -> StubDaemon.Reply.text("line 1\nline 2\n"));
        CliRun r = berth("logs", "web", "--tail", "5", "--replica", "2");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("line 1\nline 2\n");
        assertThat(daemon.requests.get(0).query()).isEqualTo("follow=false&tail=5&replica=2");
    }

    @Test
    void describeShowsStatusReplicasAndEvents() {
        daemon.on("GET /api/v1/services/web", 200, StubDaemon.status("web", "Progressing", "sha256:9", "1 of 2 up"));
        daemon.on("GET /api/v1/events", 200, "[" + EVENT_1 + "]");
        CliRun r = berth("describe", "service", "web");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Name:          web\n").contains("Manifest hash: sha256:9\n")
                .contains("Replicas:      2 desired, 2 running, 1 ready, 1 updated\n").contains("RolloutStarted");
        assertThat(daemon.requests.get(1).query()).isEqualTo("service=web&limit=10");
        assertThat(berth("describe", "volume", "web").code()).isEqualTo(Exit.USAGE);
    }

    @Test
    void completionIsPicocliBashScriptForEveryCommand() {
        CliRun r = berth("completion");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("complete -F _complete_berth").contains("apply").contains("rollout")
                .contains("validate").contains("--to-revision");
    }

    @Test
    void helpListsEveryCommand() {
        CliRun r = berth("--help");
        assertThat(r.code()).isZero();
        for (String c : BerthCli.COMMANDS.keySet()) {
            assertThat(r.out()).contains("\n  " + c + " ");
        }
    }
}
