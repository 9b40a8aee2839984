package dev.berth.swarm;

import dev.berth.desired.HealthCheck;
import java.util.ArrayList;
import java.util.List;

/**
 * A manifest {@code healthcheck} as the container's Docker healthcheck, which Swarm runs on the
 * task's node and gates updates on (a start-first update waits for the new task to be healthy).
 *
 * <p>{@code exec} maps directly ({@code CMD} and the command). {@code http} and {@code tcp} are
 * probes Berth makes from outside on one host; Swarm can only run a command inside the
 * container, so they become a shell command against {@code 127.0.0.1}: {@code wget}, else
 * {@code curl}, for http (either passes on 2xx, and on 3xx: wget follows it, curl {@code -f}
 * only fails from 400 on) and {@code nc -z} for tcp. An image without those tools (distroless,
 * scratch) fails its check every time, so its update never becomes healthy and rolls back: such
 * services need an {@code exec} check. docs/swarm.md says so.
 *
 * <p>No healthcheck, and jobs (which Berth never probes), get {@code NONE}: a check baked into the
 * image would otherwise gate updates that the manifest says are ready once running.
 */
final class SwarmHealthcheck {
    private SwarmHealthcheck() {}

    static com.github.dockerjava.api.model.HealthCheck of(HealthCheck hc, boolean job) {
        if (hc == null || job) {
            return new com.github.dockerjava.api.model.HealthCheck().withTest(List.of("NONE"));
        }
        return new com.github.dockerjava.api.model.HealthCheck()
                .withTest(test(hc))
                .withInterval(hc.interval().toNanos())
                .withTimeout(hc.timeout().toNanos())
                .withRetries(hc.retries())
                .withStartPeriod(hc.startPeriod().toNanos());
    }

    static List<String> test(HealthCheck hc) {
        return switch (hc.kind()) {
            case EXEC -> {
                List<String> t = new ArrayList<>(List.of("CMD"));
                t.addAll(hc.command());
                yield t;
            }
            case HTTP -> List.of("CMD-SHELL", http(hc.port(), hc.path()));
            case TCP -> List.of("CMD-SHELL", "nc -z 127.0.0.1 " + hc.port());
        };
    }

    /** Whether Swarm's command can check {@code status}: only 0 (any 2xx/3xx) or a status in 200–399. */
    static boolean statusExpressible(int status) {
        return status == 0 || (status >= 200 && status < 400);
    }

    private static String http(int port, String path) {
        String url = quote("http://127.0.0.1:" + port + (path == null || path.isEmpty() ? "/" : path));
        return "if command -v wget >/dev/null 2>&1; then wget -q -O /dev/null " + url
                + "; else curl -fsS -o /dev/null " + url + "; fi";
    }

    /** A single-quoted shell word: the path is the manifest author's text. */
    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
