package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code berth diff -f FILE|DIR}: what Berth would do if these files were applied (POST
 * /api/v1/plan?path=…, which changes nothing). As kubectl diff: exit 0 when nothing would change,
 * 1 ({@link Exit#DIFFERENT}) when something would, more than 1 for an error; an invalid file is
 * {@link Exit#REFUSED} here, not {@link Exit#FAILED}, so that 1 always means "differs".
 */
@Command(name = "diff", description = "Show what applying the files would do: create, update (with the fields), "
        + "scale, remove or unchanged, per service.",
        footer = {"", "Exit codes: 0 nothing would change, 1 something would (as kubectl diff), 3 an invalid file or "
                + "refused by Berth, 4 Berth unreachable, 64 wrong command line."})
final class DiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE|DIR", description = "As for apply. Repeatable.")
    List<java.nio.file.Path> paths;

    @Override
    public Integer call() {
        BerthCli root = BerthCli.root(spec);
        Api api = root.api();
        ArrayNode all = Json.MAPPER.createArrayNode();
        Table t = new Table("FILE", "SERVICE", "ACTION", "CHANGES");
        boolean differs = false;
        for (LocalManifests.Source s : LocalManifests.sources(paths)) {
            String body;
            try {
                body = Files.readString(s.file());
            } catch (IOException e) {
                throw new CliFailure(Exit.USAGE, s.file() + ": cannot be read (" + e.getMessage() + ")");
            }
            Answer a = api.send("POST", "/api/v1/plan?path=" + Api.segment(s.relative()), body, "application/yaml");
            if (!a.ok()) {
                CliFailure f = api.failure(a);
                int code = f.exitCode() == Exit.FAILED ? Exit.REFUSED : f.exitCode(); // the 422 of an invalid file
                throw new CliFailure(code, s.relative() + ": " + f.getMessage());
            }
            JsonNode plan = a.json();
            all.addObject().put("path", s.relative()).set("plan", plan);
            for (JsonNode svc : plan.path("services")) {
                differs |= !"unchanged".equals(Json.text(svc, "action"));
                t.row(s.relative(), Json.text(svc, "name"), Json.text(svc, "action"), changes(svc));
            }
        }
        if (!root.printedAsDocument(all)) {
            root.io.out().print(t.render());
        }
        return differs ? Exit.DIFFERENT : Exit.OK;
    }

    static String changes(JsonNode svc) {
        List<String> parts = new ArrayList<>();
        svc.path("changes").forEach(c -> parts.add(c.asText()));
        JsonNode r = svc.path("replicas");
        if (r.isObject() && r.has("from") && r.has("to")) {
            String scale = "replicas " + r.path("from").asText() + " → " + r.path("to").asText();
            parts.remove("replicas");
            parts.add(scale);
        }
        return String.join(", ", parts);
    }
}
