package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth describe service NAME}: the whole status, its replicas and its latest events. */
@Command(name = "describe", description = "Everything about one service: status, rollout, replicas, recent events.")
final class DescribeCommand extends TargetCommand {
    @Parameters(index = "0", paramLabel = "service", description = "The word 'service'.")
    String kind;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        if (!kind.equals("service") && !kind.equals("services") && !kind.equals("svc")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "berth describe takes 'service NAME', not '" + kind + "'");
        }
        BerthCli root = root();
        Api api = root.api();
        JsonNode s = api.getJson("/api/v1/services/" + Api.segment(name));
        if (root.printedAsDocument(s)) {
            return Exit.OK;
        }
        JsonNode events = api.getJson("/api/v1/events?service=" + Api.segment(name) + "&limit=10");
        print(root.io.out(), s, events, Instant.now());
        return Exit.OK;
    }

    static void print(PrintWriter out, JsonNode s, JsonNode events, Instant now) {
        JsonNode r = s.path("replicas");
        field(out, "Name", Json.text(s, "name"));
        field(out, "Source", Json.text(s, "source"));
        field(out, "Phase", Colours.phase(String.valueOf(Json.text(s, "phase"))) + "   (since "
                + Json.text(s, "since") + ")");
        field(out, "Message", Json.text(s, "message"));
        field(out, "Revision", String.valueOf(s.path("revision").asInt()));
        field(out, "Image", Json.text(s, "image") + (s.hasNonNull("imageDigest") ? " (" + Json.text(s, "imageDigest") + ")" : ""));
        field(out, "Replicas", r.path("desired").asInt() + " desired, " + r.path("running").asInt() + " running, "
                + r.path("ready").asInt() + " ready, " + r.path("updated").asInt() + " updated");
        field(out, "Spec hash", Json.text(s, "specHash"));
        field(out, "Manifest hash", Json.text(s, "manifestHash"));
        JsonNode ro = s.path("rollout");
        if (ro.isObject()) {
            field(out, "Rollout", Json.text(ro, "state") + " " + (ro.hasNonNull("fromRevision") ? ro.path("fromRevision").asInt()
                    + " → " : "") + ro.path("toRevision").asInt() + (ro.hasNonNull("reason") ? ": " + Json.text(ro, "reason") : ""));
        }
        field(out, "Restarts", String.valueOf(s.path("restarts").asInt()));
        field(out, "Next restart", Json.text(s, "nextRestartAt"));
        field(out, "Last error", Json.text(s, "lastError") == null ? null
                : Json.text(s, "lastError") + " (at " + Json.text(s, "lastErrorAt") + ")");
        out.println();
        out.println("Replicas:");
        Table t = new Table("REVISION", "ORDINAL", "STATE", "HEALTH", "READY", "STARTED", "CONTAINER", "LAST PROBE ERROR");
        for (JsonNode c : s.path("containers")) {
            String state = Json.text(c, "state");
            if ("exited".equals(state) && c.hasNonNull("exitCode")) {
                state += " (" + c.path("exitCode").asInt() + ")";
            }
            t.row(String.valueOf(c.path("revision").asInt()), String.valueOf(c.path("ordinal").asInt()), state,
                    Json.text(c, "health"), c.path("ready").asBoolean() ? "yes" : "no", Ages.since(Json.text(c, "startedAt"), now),
                    Json.text(c, "name"), Json.text(c, "lastProbeError"));
        }
        t.render().lines().forEach(l -> out.println("  " + l));
        out.println();
        out.println("Events:");
        GetEvents.table(events, now).render(Colours::column).lines().forEach(l -> out.println("  " + l));
        out.flush();
    }

    private static void field(PrintWriter out, String name, String value) {
        out.printf("%-15s%s%n", name + ":", value == null ? "-" : value);
    }
}
