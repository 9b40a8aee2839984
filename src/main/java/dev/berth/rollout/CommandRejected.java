package dev.berth.rollout;

/** A command that cannot apply: {@code status} 404 (unknown service or revision) or 409 (makes no sense now). */
public class CommandRejected extends RuntimeException {
    private final int status;

    public CommandRejected(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
