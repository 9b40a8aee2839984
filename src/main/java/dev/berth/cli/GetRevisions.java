package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code berth get revisions NAME} (and {@code rollout history NAME}): GET …/revisions. */
@Command(name = "revisions", aliases = "revision", description = "The kept revisions of a service, oldest first.")
final class GetRevisions extends ServiceCommand {
    @Override
    public Integer call() {
        return print(root(), name);
    }

    static int print(BerthCli root, String name) {
        JsonNode answer = root.api().getJson("/api/v1/services/" + Api.segment(name) + "/revisions");
        if (!root.printedAsDocument(answer)) {
            Table t = new Table("REVISION", "IMAGE", "CREATED", "DEPLOYED", "CURRENT", "OUTCOME");
            for (JsonNode r : answer) {
                t.row(String.valueOf(r.path("revision").asInt()), Json.text(r, "image"), Json.text(r, "createdAt"),
                        Json.text(r, "deployedAt"), r.path("current").asBoolean() ? "*" : "", Json.text(r, "outcome"));
            }
            root.io.out().print(t.render());
        }
        return Exit.OK;
    }
}
