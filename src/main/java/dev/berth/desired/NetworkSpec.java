package dev.berth.desired;

import java.util.Map;

/** A user-defined network; services on it reach each other by service name. */
public record NetworkSpec(String name, String source, String driver, boolean internal, Map<String, String> labels) {
    public NetworkSpec {
        labels = Map.copyOf(labels);
    }
}
