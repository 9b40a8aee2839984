package dev.berth.events;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The most recent events in memory (a bounded ring; older ones are dropped) and live
 * subscribers. Thread-safe; listeners are called on the recording thread and must not block.
 */
public final class EventLog {
    private final int capacity;
    private final Deque<Event> ring = new ArrayDeque<>();
    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();
    private long seq;

    public EventLog(int capacity) {
        this.capacity = capacity;
    }

    public void normal(String service, Integer revision, String reason, String message) {
        record(service, revision, Event.NORMAL, reason, message);
    }

    public void warning(String service, Integer revision, String reason, String message) {
        record(service, revision, Event.WARNING, reason, message);
    }

    public void record(String service, Integer revision, String type, String reason, String message) {
        Event e;
        synchronized (this) {
            e = new Event(++seq, Instant.now(), service, revision, type, reason, message);
            ring.addLast(e);
            while (ring.size() > capacity) {
                ring.removeFirst();
            }
        }
        for (Consumer<Event> l : listeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ignored) {
                // a broken subscriber must not stop the reconciler
            }
        }
    }

    /** Kept events, oldest first, optionally of one service only. */
    public List<Event> list(String service) {
        return list(service, 0, Integer.MAX_VALUE);
    }

    /**
     * Kept events with {@code seq > after}, oldest first, optionally of one service only; at most
     * the newest {@code limit} of them.
     */
    public synchronized List<Event> list(String service, long after, int limit) {
        List<Event> out = new ArrayList<>();
        for (Event e : ring) {
            if (e.seq() > after && (service == null || service.equals(e.service()))) {
                out.add(e);
            }
        }
        return out.size() > limit ? List.copyOf(out.subList(out.size() - limit, out.size())) : out;
    }

    /**
     * Subscribes atomically with respect to recording: {@code backlog} receives every kept event
     * (filtered by the caller) and no event is lost or repeated between backlog and live ones.
     */
    public synchronized Runnable subscribe(Consumer<List<Event>> backlog, Consumer<Event> live) {
        backlog.accept(List.copyOf(ring));
        listeners.add(live);
        return () -> listeners.remove(live);
    }
}
