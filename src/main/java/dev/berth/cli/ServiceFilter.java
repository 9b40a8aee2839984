package dev.berth.cli;

import picocli.CommandLine.Option;

/** {@code --service NAME}, a picocli mixin of {@code events} and {@code get events}. */
final class ServiceFilter {
    @Option(names = "--service", paramLabel = "NAME", description = "Only this service's events.")
    String name;
}
