package dev.berth.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code berth get services|revisions|events}: lists, as tables or documents. */
@Command(name = "get", description = "List services, a service's revisions, or events.",
        subcommands = {GetServices.class, GetRevisions.class, GetEvents.class})
final class GetCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "say what to get: services, revisions NAME or events");
    }
}
