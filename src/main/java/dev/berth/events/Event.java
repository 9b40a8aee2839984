package dev.berth.events;

import java.time.Instant;

/**
 * Something that happened, Kubernetes-style: {@code type} Normal or Warning, a CamelCase
 * {@code reason} (Created, Removed, RolloutStarted, Unhealthy, …) and a sentence. Never holds a
 * secret value.
 *
 * @param seq increasing number, for clients that resume a stream
 */
public record Event(long seq, Instant time, String service, Integer revision, String type, String reason, String message) {
    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";
}
