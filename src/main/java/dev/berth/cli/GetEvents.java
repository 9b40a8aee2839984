package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth get events [--service NAME] [--limit N]}: GET /api/v1/events. */
@Command(name = "events", aliases = "event", description = "Kept events, oldest first.")
final class GetEvents extends TargetCommand {
    @Mixin
    ServiceFilter service;

    @Option(names = "--limit", paramLabel = "N", description = "Only the newest N.")
    Integer limit;

    @Override
    public Integer call() {
        return print(root(), service.name, limit);
    }

    static int print(BerthCli root, String service, Integer limit) {
        StringBuilder q = new StringBuilder();
        if (service != null) {
            q.append("service=").append(Api.segment(service));
        }
        if (limit != null) {
            q.append(q.length() > 0 ? "&" : "").append("limit=").append(limit);
        }
        JsonNode answer = root.api().getJson("/api/v1/events" + (q.length() > 0 ? "?" + q : ""));
        if (!root.printedAsDocument(answer)) {
            root.io.out().print(table(answer, Instant.now()).render(Colours::column));
        }
        return Exit.OK;
    }

    static Table table(JsonNode events, Instant now) {
        Table t = new Table("AGE", "TYPE", "SERVICE", "REVISION", "REASON", "MESSAGE");
        for (JsonNode e : events) {
            t.row(Ages.since(Json.text(e, "time"), now), Json.text(e, "type"), Json.text(e, "service"),
                    e.hasNonNull("revision") ? String.valueOf(e.path("revision").asInt()) : "", Json.text(e, "reason"),
                    Json.text(e, "message"));
        }
        return t;
    }
}
