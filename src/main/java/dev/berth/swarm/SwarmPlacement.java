package dev.berth.swarm;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.dockerjava.api.model.ServicePlacement;
import dev.berth.desired.Placement;
import java.util.List;
import java.util.Map;

/**
 * The manifest's {@code placement} as the task's Swarm placement: {@code Constraints} as written,
 * and each spread preference as {@code {"Spread": {"SpreadDescriptor": label}}}, which docker-java
 * 3.7.1's {@link ServicePlacement} does not model (its {@code Preferences} field is added here,
 * as {@link JobMode} adds the job mode).
 */
public final class SwarmPlacement extends ServicePlacement {
    private static final long serialVersionUID = 1L;

    @JsonProperty("Preferences")
    private final List<Map<String, Map<String, String>>> preferences;

    private SwarmPlacement(Placement p) {
        withConstraints(p.constraints());
        this.preferences = p.spreads().stream().map(s -> Map.of("Spread", Map.of("SpreadDescriptor", s))).toList();
    }

    /** Null for no placement: Swarm's default, any node. */
    static SwarmPlacement of(Placement p) {
        return p.isEmpty() ? null : new SwarmPlacement(p);
    }

    /** The labels the tasks spread over, in order. */
    public List<String> spreads() {
        return preferences.stream().map(m -> m.get("Spread").get("SpreadDescriptor")).toList();
    }
}
