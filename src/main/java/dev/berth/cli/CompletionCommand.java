package dev.berth.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code berth completion}: picocli's bash (and zsh, through bashcompinit) completion script. */
@Command(name = "completion", description = "Print the bash completion script: source <(berth completion)")
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        BerthCli root = BerthCli.root(spec);
        CommandLine whole = BerthCli.commandLine(root.io);
        root.io.out().print(AutoComplete.bash("berth", whole));
        return Exit.OK;
    }
}
