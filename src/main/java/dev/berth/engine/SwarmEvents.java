package dev.berth.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import java.io.Closeable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Follows a Swarm manager's service and node events (a service updated, rolled back or removed
 * by hand; a node down or back), each a reason for a pass. Renewed 2 s after every break; what a
 * break misses, the periodic resync sees. Task state changes have no events: while a service
 * converges the backend looks again every second on its own.
 */
public final class SwarmEvents implements Closeable {
    private static final Logger LOG = Logger.getLogger(SwarmEvents.class);

    private final DockerClient docker;
    private final Consumer<String> onEvent;
    private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "swarm-events");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;
    private volatile ResultCallback.Adapter<Event> current;

    public SwarmEvents(DockerClient docker, Consumer<String> onEvent) {
        this.docker = docker;
        this.onEvent = onEvent;
        connect();
    }

    private void connect() {
        if (closed) {
            return;
        }
        ResultCallback.Adapter<Event> next = new ResultCallback.Adapter<>() {
            private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

            @Override
            public void onNext(Event e) {
                onEvent.accept(e.getType() + " " + e.getAction());
            }

            @Override
            public void onError(Throwable t) {
                LOG.debugf("swarm event stream broke (%s); reconnecting", t.getMessage());
                ended();
            }

            @Override
            public void onComplete() {
                ended();
            }

            private void ended() {
                if (ended.compareAndSet(false, true) && !closed && current == this) {
                    retry.schedule(SwarmEvents.this::connect, 2, TimeUnit.SECONDS);
                }
            }
        };
        current = next;
        try {
            docker.eventsCmd().withEventTypeFilter(EventType.SERVICE, EventType.NODE).exec(next);
        } catch (RuntimeException e) {
            LOG.debugf("cannot follow swarm events (%s); retrying", e.getMessage());
            retry.schedule(this::connect, 2, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        closed = true;
        retry.shutdownNow();
        try {
            if (current != null) {
                current.close();
            }
        } catch (Exception ignored) {
            // closing a broken stream
        }
    }
}
