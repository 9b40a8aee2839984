package dev.berth.reconcile;

import dev.berth.desired.BackoffPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Failures of services, networks and volumes, and their bounded exponential backoff. Written by
 * the planning pass (resolve failures) and by workers (engine actions), so it is
 * thread-safe. A failure of one {@link Kind} is cleared only by a success of the same kind: a
 * service whose image resolves again may still be waiting out an engine error of its last batch.
 */
final class Failures {
    private static final Logger LOG = Logger.getLogger(Failures.class);

    enum Kind { RESOLVE, ACTION }

    /** The latest failure of a key: what, when, how many in a row, and when to try again. */
    record Failure(Kind kind, String message, Instant at, int count, Instant retryAt) {}

    private final BackoffPolicy backoff;
    private final Map<String, Failure> byKey = new ConcurrentHashMap<>();
    /** The last failure of each key, kept after it is cleared: status shows it as history. */
    private final Map<String, Failure> last = new ConcurrentHashMap<>();

    Failures(BackoffPolicy backoff) {
        this.backoff = backoff;
    }

    /** Records a failure; the next attempt waits {@code backoff.delay(n + 1)} after the n-th in a row. */
    Failure fail(String key, Kind kind, String message, Instant now) {
        Failure next = byKey.compute(key, (k, before) -> {
            int n = before == null ? 1 : before.count() + 1;
            return new Failure(kind, message, now, n, now.plus(backoff.delay(n + 1)));
        });
        Duration wait = Duration.between(now, next.retryAt());
        Failure before = last.put(key, next);
        if (before == null || !message.equals(before.message())) {
            LOG.errorf("%s error: %s (retry in %s)", label(key), message,
                    wait.toMillis() >= 1000 ? wait.toSeconds() + "s" : wait.toMillis() + "ms");
        }
        return next;
    }

    /** "network backend" for a project key, "service=web" for a service. */
    private static String label(String key) {
        return ActionRunner.isProjectKey(key) ? key.substring(1, key.length() - 1) : "service=" + key;
    }

    /** A success of {@code kind}: forgets a failure of that kind. */
    void succeeded(String key, Kind kind) {
        byKey.computeIfPresent(key, (k, f) -> f.kind() == kind ? null : f);
    }

    /** Forgets a failure whose retry time has passed without anything failing again. */
    void expire(String key, Instant now) {
        byKey.computeIfPresent(key, (k, f) -> now.isBefore(f.retryAt()) ? f : null);
    }

    /** The current failure of {@code key}, or null once it was cleared. */
    Failure get(String key) {
        return byKey.get(key);
    }

    /** The most recent failure of {@code key}, cleared or not (null if it never failed). */
    Failure last(String key) {
        return last.get(key);
    }

    /** True while {@code key} waits out a failure of {@code kind}. */
    boolean backingOff(String key, Kind kind, Instant now) {
        Failure f = byKey.get(key);
        return f != null && f.kind() == kind && now.isBefore(f.retryAt());
    }

    /**
     * The current failures of networks and volumes ({@link ActionRunner#isProjectKey}), their
     * messages joined in key order; null when none fails.
     */
    String projectError() {
        String joined = byKey.entrySet().stream().filter(e -> ActionRunner.isProjectKey(e.getKey()))
                .sorted(Map.Entry.comparingByKey()).map(e -> label(e.getKey()) + ": " + e.getValue().message())
                .collect(java.util.stream.Collectors.joining("; "));
        return joined.isEmpty() ? null : joined;
    }

    /** Retry times by key, for the planner. */
    Map<String, Instant> retryAt() {
        Map<String, Instant> out = new HashMap<>();
        byKey.forEach((k, f) -> out.put(k, f.retryAt()));
        return out;
    }

    void retain(java.util.Set<String> keys) {
        byKey.keySet().retainAll(keys);
        last.keySet().retainAll(keys);
    }
}
