package dev.berth.cli;

import picocli.CommandLine.Parameters;

/**
 * A command about one service, named by its only parameter ({@code logs NAME},
 * {@code rollout undo NAME}, {@code get revisions NAME}).
 */
abstract class ServiceCommand extends TargetCommand {
    @Parameters(paramLabel = "NAME")
    String name;
}
