package dev.berth.desired;

import java.time.Duration;
import java.util.List;

/**
 * How Berth probes a replica (Berth runs the probes itself; Docker's HEALTHCHECK is not used).
 * Exactly one of http, tcp or exec. A replica is ready after its first passing probe (and
 * {@code update.minReadySeconds}); {@code retries} failures in a row make it unhealthy.
 *
 * @param status expected HTTP status, or 0 for any 2xx or 3xx
 */
public record HealthCheck(Kind kind, String path, int port, int status, List<String> command, Duration interval,
        Duration timeout, int retries, Duration startPeriod) {

    public enum Kind { HTTP, TCP, EXEC }

    public HealthCheck {
        command = List.copyOf(command);
    }

    /** True when the probe needs the container port published to the host (http, tcp). */
    public boolean needsPort() {
        return kind != Kind.EXEC;
    }
}
