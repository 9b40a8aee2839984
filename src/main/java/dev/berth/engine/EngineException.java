package dev.berth.engine;

/** A call to the engine failed; the message is fit for status and logs (it never holds secrets). */
public class EngineException extends RuntimeException {
    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }

    public EngineException(String message) {
        super(message);
    }
}
