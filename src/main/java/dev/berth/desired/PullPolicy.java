package dev.berth.desired;

/** When to pull a service's image; Compose's {@code pull_policy} values. */
public enum PullPolicy {
    /** Pull when the image is not on the host (default). */
    MISSING,
    /** Pull whenever the service's manifest is (re)loaded, to follow a moving tag. */
    ALWAYS,
    /** Never pull; the image must be on the host. */
    NEVER;

    public static PullPolicy parse(String s) {
        return valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }
}
