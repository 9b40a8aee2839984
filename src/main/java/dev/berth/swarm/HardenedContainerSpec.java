package dev.berth.swarm;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ContainerSpecPrivileges;
import dev.berth.desired.Hardening;
import java.util.List;

/**
 * A Swarm container spec with {@link Hardening}: the fields the Engine API has and docker-java
 * 3.7.1 does not model. {@code CapabilityDrop}/{@code CapabilityAdd} (API 1.41): drop all, add
 * back the baseline list, as {@code engine/HardeningOptions} does on one host.
 * {@code Privileges.NoNewPrivileges} (a recent API version): without it a Swarm task could raise
 * its privileges with setuid binaries, which no container Berth creates may. An engine older than
 * these fields ignores them (Go's JSON decoding drops unknown fields), so the backend must check
 * the engine's API version before it relies on them.
 */
public final class HardenedContainerSpec extends ContainerSpec {
    private static final long serialVersionUID = 1L;

    @JsonProperty("CapabilityDrop")
    private final List<String> capabilityDrop;

    @JsonProperty("CapabilityAdd")
    private final List<String> capabilityAdd;

    HardenedContainerSpec(Hardening h) {
        this.capabilityDrop = List.of("ALL");
        // The engine's own spelling (docker service create --cap-add normalises to CAP_…).
        this.capabilityAdd = h.capabilities().stream().map(c -> "CAP_" + c).toList();
        withPrivileges(new Privileges(h.noNewPrivileges()));
    }

    public List<String> capabilityDrop() {
        return capabilityDrop;
    }

    public List<String> capabilityAdd() {
        return capabilityAdd;
    }

    public boolean noNewPrivileges() {
        return ((Privileges) getPrivileges()).noNewPrivileges;
    }

    /** {@code Privileges} with {@code NoNewPrivileges}. */
    static final class Privileges extends ContainerSpecPrivileges {
        private static final long serialVersionUID = 1L;

        @JsonProperty("NoNewPrivileges")
        private final boolean noNewPrivileges;

        Privileges(boolean noNewPrivileges) {
            this.noNewPrivileges = noNewPrivileges;
        }
    }
}
