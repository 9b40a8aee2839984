package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth get revisions NAME} (and {@code rollout history NAME}): GET …/revisions. */
@Command(name = "revisions", aliases = "revision", description = "The kept revisions of a service, oldest first.")
final class GetRevisions implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        return print(BerthCli.root(spec), name);
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
