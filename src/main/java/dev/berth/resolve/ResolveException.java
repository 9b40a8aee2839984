package dev.berth.resolve;

/** A service could not be resolved this pass (image missing, pull failed, file unreadable). */
public class ResolveException extends Exception {
    public ResolveException(String message, Throwable cause) {
        super(message, cause);
    }

    public ResolveException(String message) {
        super(message);
    }
}
