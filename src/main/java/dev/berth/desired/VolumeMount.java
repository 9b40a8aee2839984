package dev.berth.desired;

import java.nio.file.Path;

/**
 * Either a named volume ({@code volume} set) or a bind mount of a host path ({@code hostPath} set,
 * absolute and checked to exist when the manifest was loaded).
 */
public record VolumeMount(String volume, Path hostPath, String target, boolean readOnly) {

    public boolean isNamed() {
        return volume != null;
    }
}
