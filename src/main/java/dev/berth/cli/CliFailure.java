package dev.berth.cli;

/** Ends a command with {@link Exit an exit code} and a message for stderr (no stack trace). */
final class CliFailure extends RuntimeException {
    private final int exitCode;

    CliFailure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
