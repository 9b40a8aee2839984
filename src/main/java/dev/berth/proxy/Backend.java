package dev.berth.proxy;

import java.util.concurrent.atomic.AtomicInteger;

/** One replica behind a proxied port: where it listens on loopback, and what it is serving now. */
final class Backend {
    final String containerId;
    final int port;
    final AtomicInteger inFlight = new AtomicInteger();

    Backend(String containerId, int port) {
        this.containerId = containerId;
        this.port = port;
    }

    @Override
    public String toString() {
        return containerId.substring(0, Math.min(12, containerId.length())) + "@127.0.0.1:" + port;
    }
}
