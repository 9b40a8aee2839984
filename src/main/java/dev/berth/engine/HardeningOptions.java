package dev.berth.engine;

import com.github.dockerjava.api.model.Capability;
import dev.berth.desired.Hardening;
import java.util.List;

/** {@link Hardening} in the engine's words: security options and capability lists of a create call. */
final class HardeningOptions {
    private HardeningOptions() {}

    static List<String> securityOpts(Hardening h) {
        return h.noNewPrivileges() ? List.of("no-new-privileges") : List.of();
    }

    /** Everything is dropped and the allowed list added back: the result does not depend on the engine's defaults. */
    static Capability[] capDrop(Hardening h) {
        return new Capability[] {Capability.ALL};
    }

    static Capability[] capAdd(Hardening h) {
        return h.capabilities().stream().map(Capability::valueOf).toArray(Capability[]::new);
    }
}
