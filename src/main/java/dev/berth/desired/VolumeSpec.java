package dev.berth.desired;

import java.util.Map;

/** A named volume. Berth creates it and never deletes it. */
public record VolumeSpec(String name, String source, String driver, Map<String, String> driverOpts,
        Map<String, String> labels) {
    public VolumeSpec {
        driverOpts = Map.copyOf(driverOpts);
        labels = Map.copyOf(labels);
    }
}
