package dev.berth.engine;

import java.util.List;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Whether processes in this host's network namespace reach the engine's containers at their
 * addresses on its bridge networks: yes for an engine on a local unix socket that is not
 * rootless (a rootless engine's bridges live in a network namespace of its own; a tcp engine
 * may be another machine). Asked of the engine once; until it has answered, no — the engine's
 * published ports work everywhere, so no is the safe answer. Thread-safe.
 */
final class ContainerReach {
    private static final Logger LOG = Logger.getLogger(ContainerReach.class);

    private final boolean localSocket;
    private volatile Boolean known;

    ContainerReach(boolean localSocket) {
        this.localSocket = localSocket;
    }

    /** @param securityOptions the engine's {@code SecurityOptions} (docker info); may throw {@link EngineException} */
    boolean get(Supplier<List<String>> securityOptions) {
        Boolean k = known;
        if (k != null) {
            return k;
        }
        if (!localSocket) {
            known = false;
            return false;
        }
        boolean rootless;
        try {
            rootless = rootless(securityOptions.get());
        } catch (EngineException e) {
            return false; // asked again next time
        }
        known = !rootless;
        if (rootless) {
            LOG.info("the engine is rootless: its containers are reached through their published loopback ports");
        }
        return known;
    }

    /** Whether docker info's security options name a rootless engine ({@code name=rootless}). */
    static boolean rootless(List<String> securityOptions) {
        return securityOptions != null && securityOptions.stream().anyMatch(o -> o != null
                && List.of(o.split(",")).contains("name=rootless"));
    }
}
