package dev.berth.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for the listeners tests ask Berth (or a helper) to open. They come from 20000–31999,
 * below the ephemeral range (32768–60999 on Linux) from which the kernel picks client ports and
 * Docker picks the host ports of replicas published as {@code 127.0.0.1::8080}: a port the
 * kernel handed out as "free" could go to a replica before the test's listener binds it.
 * Handed out in turn from a per-process start, each checked free at the time.
 */
public final class Ports {
    private static final int FIRST = 20000;
    private static final int COUNT = 12000;
    private static final AtomicInteger NEXT = new AtomicInteger((int) (ProcessHandle.current().pid() * 37 % COUNT));

    private Ports() {}

    public static int free() {
        for (int tries = 0; tries < COUNT; tries++) {
            int port = FIRST + Math.floorMod(NEXT.getAndIncrement(), COUNT);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(port));
                return port;
            } catch (IOException taken) {
                // next one
            }
        }
        throw new IllegalStateException("no free port in " + FIRST + "–" + (FIRST + COUNT - 1));
    }
}
