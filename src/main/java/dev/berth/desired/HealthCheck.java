package dev.berth.desired;

import java.time.Duration;
import java.util.List;

/**
 * How Berth probes a replica (Berth runs the probes itself; Docker's HEALTHCHECK is not used).
 * Exactly one of http, tcp or exec. A replica is ready after its first passing probe (and
 * {@code update.minReadySeconds}); {@code retries} failures in a row make it unhealthy.
 *
 * @param status expected HTTP status, or 0 for any 2xx or 3xx
 * @param startInterval time between probes of a replica that has not passed one yet; never more
 *                      than {@code interval} ({@link #probeEvery})
 */
public record HealthCheck(Kind kind, String path, int port, int status, List<String> command, Duration interval,
        Duration timeout, int retries, Duration startPeriod, Duration startInterval) {

    public enum Kind { HTTP, TCP, EXEC }

    /**
     * Probes of a starting http or tcp replica: its traffic and its rollout wait for the first
     * passing probe, and such a probe costs a connection. An exec probe is an engine call, so it
     * keeps its {@code interval} unless the manifest asks otherwise.
     */
    public static final Duration DEFAULT_START_INTERVAL = Duration.ofMillis(250);

    public HealthCheck {
        command = List.copyOf(command);
        if (startInterval == null) {
            startInterval = defaultStartInterval(kind, interval);
        }
    }

    /** A check with the default start interval for its kind. */
    public HealthCheck(Kind kind, String path, int port, int status, List<String> command, Duration interval,
            Duration timeout, int retries, Duration startPeriod) {
        this(kind, path, port, status, command, interval, timeout, retries, startPeriod, null);
    }

    public static Duration defaultStartInterval(Kind kind, Duration interval) {
        return kind == Kind.EXEC || interval == null ? interval : min(DEFAULT_START_INTERVAL, interval);
    }

    /** Time until the next probe of a replica: {@code startInterval} while it is starting, else {@code interval}. */
    public Duration probeEvery(boolean starting) {
        return starting ? min(startInterval, interval) : interval;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** True when the probe needs the container port published to the host (http, tcp). */
    public boolean needsPort() {
        return kind != Kind.EXEC;
    }
}
