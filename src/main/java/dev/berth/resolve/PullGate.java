package dev.berth.resolve;

/**
 * Where the resolver gets an image pulled without waiting for it: {@link #await} returns once a
 * pull of {@code image} for this spec {@code fingerprint} succeeded, throws {@link ResolvePending}
 * while it runs (starting it if needed), and throws the pull's failure once.
 */
public interface PullGate {
    void await(String service, String image, String fingerprint) throws ResolveException;
}
