package dev.berth.app;

import java.util.Locale;

/**
 * What one Berth process runs ({@code berth.role}). {@link #ALL} is the single process of old:
 * the control plane with the proxy in it. {@link #CONTROL} and {@link #PROXY} split the two, so
 * the listeners outlive restarts and upgrades of the control plane (docs/design/proxy.md).
 */
public enum Role {
    /** Control plane and data plane in one process. */
    ALL,
    /** Engine, manifests, reconcile loop and API; pushes routes to a separate data plane. */
    CONTROL,
    /** Listeners and the admin channel only: no engine, no manifests, no reconcile loop. */
    PROXY;

    /** Parses {@code all}, {@code control} or {@code proxy} (any case). */
    public static Role parse(String s) {
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("berth.role must be all, control or proxy, not '" + s + "'");
        }
    }

    public boolean runsControlPlane() {
        return this != PROXY;
    }
}
