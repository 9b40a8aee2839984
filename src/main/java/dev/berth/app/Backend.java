package dev.berth.app;

import java.util.Locale;

/**
 * What Berth drives ({@code berth.backend}): one Docker engine, which Berth runs containers on
 * itself ({@code engine}, the default), or a Docker Swarm through one of its managers
 * ({@code swarm}), which Berth gives services to (docs/swarm.md).
 */
public enum Backend {
    ENGINE, SWARM;

    /**
     * The role a process may take with this backend: on Swarm, Swarm publishes the ports (its
     * routing mesh or host mode), so there is no Berth data plane to split off and only
     * {@code berth.role=all} makes sense; a split would leave a control plane pushing routes to
     * nothing, or a proxy serving nothing.
     *
     * @throws IllegalArgumentException with the reason, for a start that stops
     */
    public void check(Role role) {
        if (this == SWARM && role != Role.ALL) {
            throw new IllegalArgumentException("berth.role=" + role.name().toLowerCase(Locale.ROOT)
                    + " splits Berth's own proxy from its control plane; with berth.backend=swarm Swarm publishes the "
                    + "ports itself and Berth runs no proxy: use berth.role=all");
        }
    }

    public static Backend parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("berth.backend must be engine or swarm, not '" + s + "'");
        }
    }
}
