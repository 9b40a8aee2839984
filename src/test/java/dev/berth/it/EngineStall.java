package dev.berth.it;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A unix socket in front of the engine's that can make the engine slow or hang, as a dockerd
 * stuck on a lock or a saturated disk does: in {@link #hang()} mode requests are accepted but
 * not passed on (the connection stays open, nothing answers); {@link #delay(Duration)} holds
 * every request back that long. Answers the engine gives are passed back unchanged. Only bytes
 * towards the engine are held, so a request held during a hang is passed on when the hang ends,
 * unless the client gave up and closed the connection first.
 */
final class EngineStall implements AutoCloseable {
    private final Path socket;
    private final Path engine;
    private final ServerSocketChannel server;
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
    private volatile boolean hanging;
    private volatile Duration delay = Duration.ZERO;
    private volatile boolean closed;

    EngineStall(Path dir, Path engine) throws IOException {
        this.socket = dir.resolve("stall.sock");
        this.engine = engine;
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread accept = new Thread(this::accept, "engine-stall-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /** The {@code DOCKER_HOST} to give Berth. */
    String dockerHost() {
        return "unix://" + socket;
    }

    void hang() {
        hanging = true;
    }

    /** Ends a hang: held requests go on, new ones pass. */
    void answer() {
        hanging = false;
    }

    void delay(Duration d) {
        delay = d;
    }

    private void accept() {
        while (!closed) {
            try {
                SocketChannel client = server.accept();
                SocketChannel upstream = SocketChannel.open(UnixDomainSocketAddress.of(engine));
                open.add(client);
                open.add(upstream);
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                if (!closed) {
                    sleep(Duration.ofMillis(50));
                }
            }
        }
    }

    private void pump(SocketChannel from, SocketChannel to, boolean towardsEngine) {
        Thread t = new Thread(() -> {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            try {
                while (from.read(buf) >= 0) {
                    if (towardsEngine) {
                        while (hanging && !closed) {
                            sleep(Duration.ofMillis(20));
                        }
                        sleep(delay);
                    }
                    buf.flip();
                    while (buf.hasRemaining()) {
                        to.write(buf);
                    }
                    buf.clear();
                }
            } catch (IOException e) {
                // one side closed: close the other
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "engine-stall-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void sleep(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        open.forEach(EngineStall::closeQuietly);
        Files.deleteIfExists(socket);
    }
}
