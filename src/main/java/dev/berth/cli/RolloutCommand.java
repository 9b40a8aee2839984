package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code berth rollout status|history|undo|pause|resume|restart|retry NAME}: kubectl's verbs over Berth's actions. */
@Command(name = "rollout", description = "Follow, list and steer a service's rollouts.",
        subcommands = {RolloutCommand.Status.class, RolloutCommand.History.class, RolloutCommand.Undo.class,
                RolloutCommand.Pause.class, RolloutCommand.Resume.class, RolloutCommand.Restart.class,
                RolloutCommand.Retry.class})
final class RolloutCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "say what to do: status, history, undo, pause, resume, restart or retry");
    }

    @Command(name = "status", description = "Follow the rollout until it ends: exit 0 Available/Completed, "
            + "1 Failed/RolledBack/Paused, 2 timed out.")
    static final class Status extends ServiceCommand {
        @Option(names = "--timeout", converter = DurationConverter.class, defaultValue = "5m",
                description = "Give up after this long (default ${DEFAULT-VALUE}).")
        Duration timeout;

        @Option(names = "--poll", converter = DurationConverter.class, defaultValue = "1s", hidden = true)
        Duration poll;

        @Override
        public Integer call() {
            BerthCli root = root();
            Map<String, String> one = new HashMap<>();
            one.put(name, null);
            return new RolloutWatch(root.api(), root.io.out(), timeout, poll).await(one);
        }
    }

    @Command(name = "history", description = "The kept revisions, oldest first.")
    static final class History extends ServiceCommand {
        @Override
        public Integer call() {
            return GetRevisions.print(root(), name);
        }
    }

    @Command(name = "undo", description = "Roll back to the previous good revision, or to --to-revision.")
    static final class Undo extends ServiceCommand {
        @Option(names = "--to-revision", paramLabel = "N", description = "The kept revision to roll back to.")
        Integer revision;

        @Override
        public Integer call() {
            return action(spec, name, "rollback", revision == null ? null : "{\"revision\": " + revision + "}",
                    "rollback");
        }
    }

    /** A subcommand that is one of the API's actions, of the same name and with no body. */
    abstract static class Plain extends ServiceCommand {
        @Override
        public Integer call() {
            String action = spec.name();
            return action(spec, name, action, null, action);
        }
    }

    @Command(name = "pause", description = "Stop the rollout in progress where it is.")
    static final class Pause extends Plain {}

    @Command(name = "resume", description = "Continue a paused rollout.")
    static final class Resume extends Plain {}

    @Command(name = "restart", description = "Replace every replica, rolling, with the same spec.")
    static final class Restart extends Plain {}

    @Command(name = "retry", description = "Roll out a failed revision again.")
    static final class Retry extends Plain {}

    /** POSTs an action; 202 carries the service's resulting status, printed in one line. */
    static int action(CommandSpec spec, String name, String action, String body, String word) {
        BerthCli root = BerthCli.root(spec);
        JsonNode status = root.api().postJson("/api/v1/services/" + Api.segment(name) + "/" + action, body);
        if (!root.printedAsDocument(status)) {
            root.io.out().println(name + ": " + word + " accepted; now " + RolloutWatch.progress(name, status)
                    .substring(name.length() + 2));
        }
        return Exit.OK;
    }
}
