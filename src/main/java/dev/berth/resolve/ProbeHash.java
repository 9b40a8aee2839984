package dev.berth.resolve;

import dev.berth.desired.HealthCheck;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fingerprint of a healthcheck, kept in the rollout record ({@code rollout.RolloutRecord}) so a failed rollout can tell
 * that the manifest's probe changed since the attempt that failed. The healthcheck is not part of
 * the revision's {@link SpecHash}: probes are Berth's own, the engine never sees them, so a probe
 * change needs no new container. The input names each field, so adding a field to
 * {@link HealthCheck} does not change the fingerprints of existing checks.
 */
public final class ProbeHash {
    /** The fingerprint of "no healthcheck". */
    public static final String NONE = "none";

    private ProbeHash() {}

    public static String of(HealthCheck hc) {
        if (hc == null) {
            return NONE;
        }
        Map<String, Object> m = new TreeMap<>();
        m.put("kind", hc.kind().name());
        m.put("path", hc.path());
        m.put("port", hc.port());
        m.put("status", hc.status());
        m.put("command", hc.command());
        m.put("interval", hc.interval().toMillis());
        m.put("timeout", hc.timeout().toMillis());
        m.put("retries", hc.retries());
        m.put("startPeriod", hc.startPeriod().toMillis());
        if (!hc.startInterval().equals(HealthCheck.defaultStartInterval(hc.kind(), hc.interval()))) {
            // Only when set otherwise: the fingerprints of checks from before the field stay the same.
            m.put("startInterval", hc.startInterval().toMillis());
        }
        return SpecHash.of(m);
    }
}
