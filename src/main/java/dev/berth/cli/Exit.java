package dev.berth.cli;

/**
 * The command line's exit codes (docs/cli.md#exit-codes). Scripts and pipelines branch on them,
 * so they never change meaning.
 */
final class Exit {
    /** Done; with {@code --wait}, every service reached Available or Completed. */
    static final int OK = 0;
    /** The manifests are invalid (local check or the daemon's 422), or a rollout failed, rolled back or paused. */
    static final int FAILED = 1;
    /**
     * {@code berth diff}: applying the files would change something (kubectl diff's 1). An
     * invalid file is therefore not 1 for diff but {@link #REFUSED}: the daemon refuses to plan it.
     */
    static final int DIFFERENT = 1;
    /** {@code --wait} / {@code rollout status} ran out of time before the rollout ended either way. */
    static final int TIMEOUT = 2;
    /** The daemon refused the request (401, 404, 409, 412, other 4xx, 5xx). */
    static final int REFUSED = 3;
    /** The daemon cannot be reached (refused connection, unknown host, timeout, TLS failure). */
    static final int UNREACHABLE = 4;
    /** Wrong command line: unknown command or option, missing argument, unreadable config file. */
    static final int USAGE = 64;

    private Exit() {}
}
