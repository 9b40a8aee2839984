package dev.berth.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * What applying a manifest would do to one service, as a dry run answers it.
 *
 * @param changes  the fields that differ, as a manifest names them ({@code image}, {@code env.FOO},
 *                 {@code update.maxSurge}); never values, which may be secret
 * @param replicas from and to, when the replica count changes (create: from 0; remove: to 0); else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceChange(String name, Action action, List<String> changes, Replicas replicas) {
    public ServiceChange {
        changes = List.copyOf(changes);
    }

    /** create: not declared now; update: a field other than replicas changes; scale: only replicas change. */
    public enum Action {
        CREATE, UPDATE, SCALE, REMOVE, UNCHANGED;

        @JsonValue
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public record Replicas(int from, int to) {}
}
