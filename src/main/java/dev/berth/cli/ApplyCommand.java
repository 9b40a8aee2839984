package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code berth apply -f FILE|DIR [--wait] [--timeout 5m]}: checks the files locally with the
 * daemon's loader (nothing is sent when any is invalid), PUTs each to its path (relative to DIR,
 * or the file's name), and with {@code --wait} follows every declared service until its status
 * carries the pushed manifest's hash and its rollout ended: the pipeline gate.
 */
@Command(name = "apply", description = "Validate and push manifests; with --wait, follow their rollouts "
        + "(exit 0 Available/Completed, 1 Failed/RolledBack/Paused, 2 timed out).")
final class ApplyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE|DIR",
            description = "A manifest file (pushed under its name) or a directory (each manifest under its path in it). Repeatable.")
    List<Path> paths;

    @Option(names = "--wait", description = "Follow the rollouts until they end.")
    boolean await;

    @Option(names = "--timeout", converter = DurationConverter.class, defaultValue = "5m",
            description = "With --wait: give up after this long (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--secrets-dir", paramLabel = "DIR",
            description = "For the local check (default: BERTH_SECRETS_DIR, /etc/berth/secrets); not checked when it does not exist.")
    Path secretsDir;

    @Option(names = "--poll", converter = DurationConverter.class, defaultValue = "1s", hidden = true)
    Duration poll;

    @Override
    public Integer call() {
        BerthCli root = BerthCli.root(spec);
        List<LocalManifests.Source> sources = LocalManifests.sources(paths);
        if (sources.isEmpty()) {
            throw new CliFailure(Exit.USAGE, "no manifest files (*.yaml, *.yml) in " + paths);
        }
        LocalManifests.quietLoaderLogs();
        List<String> problems = LocalManifests.problems(paths, LocalManifests.secretsDir(root.io, secretsDir));
        if (!problems.isEmpty()) {
            throw new CliFailure(Exit.FAILED, "invalid manifests, nothing was pushed:\n" + String.join("\n", problems));
        }
        Api api = root.api();
        Map<String, String> services = new LinkedHashMap<>();
        List<String> pushed = new ArrayList<>();
        for (LocalManifests.Source s : sources) {
            Answer a = api.send("PUT", "/api/v1/manifests/" + Api.filePath(s.relative()), read(s.file()), "application/yaml");
            if (!a.ok()) {
                CliFailure f = api.failure(a);
                throw new CliFailure(f.exitCode(), s.relative() + ": " + f.getMessage()
                        + (pushed.isEmpty() ? "" : "\n(pushed before it: " + String.join(", ", pushed) + ")"));
            }
            JsonNode answer = a.json();
            List<String> names = new ArrayList<>();
            for (JsonNode svc : answer.path("services")) {
                services.put(Json.text(svc, "name"), Json.text(svc, "manifestHash"));
                names.add(Json.text(svc, "name"));
            }
            pushed.add(s.relative());
            root.io.out().println(s.relative() + " " + (answer.path("created").asBoolean() ? "created" : "configured")
                    + (names.isEmpty() ? "" : " (" + String.join(", ", names) + ")"));
            root.io.out().flush();
        }
        if (!await || services.isEmpty()) {
            return Exit.OK;
        }
        return new RolloutWatch(api, root.io.out(), timeout, poll).await(services);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new CliFailure(Exit.USAGE, file + ": cannot be read (" + e.getMessage() + ")");
        }
    }
}
