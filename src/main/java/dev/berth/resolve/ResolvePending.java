package dev.berth.resolve;

/**
 * A service cannot be resolved yet because slow work for it is under way (an image pull on its
 * worker). Not a failure: no backoff, and the service is left as it runs until the work is done.
 */
public final class ResolvePending extends ResolveException {
    public ResolvePending(String message) {
        super(message);
    }
}
