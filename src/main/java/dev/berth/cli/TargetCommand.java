package dev.berth.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that asks the daemon the target options name: {@code --server}, {@code --token},
 * {@code --context} and {@code -o} are the root command's, inherited by every subcommand, so
 * a command reaches them through {@link #root()}.
 */
abstract class TargetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The root command: the target options, the streams and the API client. */
    BerthCli root() {
        return BerthCli.root(spec);
    }
}
