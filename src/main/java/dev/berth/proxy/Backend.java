package dev.berth.proxy;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One replica behind a proxied port: where the proxy reaches it (its bridge-network address and
 * container port, or 127.0.0.1 and the port the engine publishes for it), and what it is
 * serving now.
 */
final class Backend {
    static final String LOOPBACK = "127.0.0.1";

    /**
     * How long a connect to a replica may take before the next replica is tried. Replicas are on
     * this host: a connect that is answered at all is answered in well under a millisecond, and
     * one that is not is to an address whose container just died (its veth is gone, so the SYN
     * goes nowhere) or to a backlog so full that the SYN waits for its 1 s retransmission. Either
     * way another replica is the better bet; at 1 s a request in flight to a killed replica kept
     * its client waiting a second (bench/drift-repair.sh: 1.11 s against 0.49 s through the
     * userland proxy, which refuses at once).
     */
    static final int CONNECT_TIMEOUT_MS = 250;

    final String containerId;
    final String host;
    final int port;
    final AtomicInteger inFlight = new AtomicInteger();

    Backend(String containerId, String host, int port) {
        this.containerId = containerId;
        this.host = host;
        this.port = port;
    }

    /** Reached through its published loopback port. */
    Backend(String containerId, int port) {
        this(containerId, LOOPBACK, port);
    }

    /**
     * Counts one connection in flight on this replica (the drain waits for the count to reach 0)
     * until the claim is released. For connections whose end is reported by more than one
     * callback (either side closing, the response ending): the first release counts, later ones
     * do nothing, from any thread.
     */
    Claim claim() {
        inFlight.incrementAndGet();
        return new Claim();
    }

    final class Claim {
        private final AtomicBoolean released = new AtomicBoolean();

        private Claim() {}

        /** True for the call that ended the count, false for every later one. */
        boolean release() {
            if (!released.compareAndSet(false, true)) {
                return false;
            }
            inFlight.decrementAndGet();
            return true;
        }
    }

    /** The same replica at the same place. */
    boolean sameAs(Backend o) {
        return containerId.equals(o.containerId) && host.equals(o.host) && port == o.port;
    }

    @Override
    public String toString() {
        return containerId.substring(0, Math.min(12, containerId.length())) + "@" + host + ":" + port;
    }
}
