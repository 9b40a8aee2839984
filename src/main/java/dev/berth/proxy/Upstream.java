package dev.berth.proxy;

import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * How the proxy reaches a replica ({@code berth.proxy.upstream}, read where routes are made: the
 * control plane). {@code container}: at the replica's address on a bridge network and its
 * container port, as kamal-proxy and a Compose user's nginx on the project network do.
 * {@code loopback}: through the port the engine publishes for it on 127.0.0.1, which passes the
 * engine's userland proxy ({@code docker-proxy}, a process that copies every byte; half of what
 * a proxy in front of it could serve on this project's benchmark machine). {@code auto}, the
 * default: container where this host reaches the engine's containers (a rootful engine on a
 * local socket), else loopback. A replica on no bridge network is always reached by loopback.
 */
public enum Upstream {
    AUTO, CONTAINER, LOOPBACK;

    /** @param reachable whether this host reaches the engine's containers at their addresses */
    public boolean direct(BooleanSupplier reachable) {
        return switch (this) {
            case CONTAINER -> true;
            case LOOPBACK -> false;
            case AUTO -> reachable.getAsBoolean();
        };
    }

    public static Upstream parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("berth.proxy.upstream must be auto, container or loopback, not '" + s + "'");
        }
    }
}
