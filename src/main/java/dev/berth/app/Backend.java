package dev.berth.app;

import java.util.Locale;

/**
 * What Berth drives ({@code berth.backend}): one Docker engine, which Berth runs containers on
 * itself ({@code engine}, the default), or a Docker Swarm through one of its managers
 * ({@code swarm}), which Berth gives services to (docs/swarm.md).
 */
public enum Backend {
    ENGINE, SWARM;

    public static Backend parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("berth.backend must be engine or swarm, not '" + s + "'");
        }
    }
}
