package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth get services [NAME]}: GET /api/v1/services[/NAME]. */
@Command(name = "services", aliases = {"service", "svc"}, description = "Status of every service, or of one.")
final class GetServices extends TargetCommand {
    @Parameters(arity = "0..1", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        BerthCli root = root();
        JsonNode answer = root.api().getJson("/api/v1/services" + (name == null ? "" : "/" + Api.segment(name)));
        if (!root.printedAsDocument(answer)) {
            root.io.out().print(table(answer.isArray() ? answer : Json.MAPPER.createArrayNode().add(answer),
                    Instant.now()).render(Colours::column));
        }
        return Exit.OK;
    }

    static Table table(JsonNode services, Instant now) {
        Table t = new Table("NAME", "PHASE", "READY", "UP-TO-DATE", "REVISION", "IMAGE", "AGE", "MESSAGE");
        for (JsonNode s : services) {
            JsonNode r = s.path("replicas");
            t.row(Json.text(s, "name"), Json.text(s, "phase"), r.path("ready").asInt() + "/" + r.path("desired").asInt(),
                    String.valueOf(r.path("updated").asInt()), String.valueOf(s.path("revision").asInt()),
                    Json.text(s, "image"), Ages.since(Json.text(s, "since"), now), cut(Verdict.reason(s), 80));
        }
        return t;
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
