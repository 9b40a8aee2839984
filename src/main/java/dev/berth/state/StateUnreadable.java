package dev.berth.state;

import java.nio.file.Path;

/**
 * One service's state file exists but cannot be read or parsed. Thrown by every {@link StateStore}
 * call that reads or writes that service, and by nothing else: other services are unaffected.
 * The file is left exactly as it is for the operator to inspect, fix or delete; the store looks at
 * it again on every call, so either recovers without a restart. Unchecked, so a caller that
 * handles one service at a time can catch it around the whole service and report it.
 */
public final class StateUnreadable extends RuntimeException {
    private final String service;
    private final Path file;
    private final String reason;

    public StateUnreadable(String service, Path file, String reason, Throwable cause) {
        super("state file " + file + " of service " + service + " cannot be read: " + reason
                + " (Berth leaves it and the service alone; fix or delete the file)", cause);
        this.service = service;
        this.file = file;
        this.reason = reason;
    }

    public String service() {
        return service;
    }

    public Path file() {
        return file;
    }

    /** Why, in one line: the parser's or the file system's message. */
    public String reason() {
        return reason;
    }
}
