package dev.berth.engine;

import dev.berth.observed.ObservedContainer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What inspecting each of Berth's containers answered, kept between passes, so that a pass with
 * nothing new costs one list call rather than one inspect per container. An entry is used only
 * while all of these hold:
 *
 * <ul>
 *   <li>the engine's event stream is up ({@link #following}): it ran without a break since the
 *       entry was made, so every event about the container reached {@link #touched};
 *   <li>no event named the container since its inspect began (a start, a death, {@code docker
 *       update}, a rename, …);
 *   <li>the list still shows the container in the state the inspect saw;
 *   <li>the entry is younger than {@code maxAge}: what no container event tells (a network
 *       disconnected by hand) is seen within that time, as the periodic resync sees it.
 * </ul>
 *
 * It also keeps the stream's side of the story for the {@link ViewCache}: whether anything
 * happened since a point in its history ({@link #quietSince}). Thread-safe: events arrive on
 * the stream's thread, Berth's own changing calls end on worker threads, passes run on the
 * planning thread.
 */
final class InspectCache {
    private record Entry(ObservedContainer container, String listState, Instant at) {}

    private final Duration maxAge;
    private final Map<String, Entry> byId = new ConcurrentHashMap<>();
    /** Per container, the clock value of the last event that named it. */
    private final Map<String, Long> touchedAt = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong();
    private volatile long brokenAt;
    /** The clock value of the last event about any container, or of Berth's last changing call. */
    private volatile long changedAt;
    private volatile boolean following;

    InspectCache(Duration maxAge) {
        this.maxAge = maxAge;
    }

    /** A point in the cache's history: take it before an inspect, give it to {@link #put}. */
    long mark() {
        return clock.get();
    }

    /** The event stream started: entries made from now on may be used. */
    void following() {
        brokenAt = clock.incrementAndGet();
        byId.clear();
        following = true;
    }

    /** The event stream broke: events may be missed, so nothing kept may be used. */
    void broken() {
        following = false;
        brokenAt = clock.incrementAndGet();
        byId.clear();
    }

    /** An event named {@code id}: what was kept of it is stale (an event without an id still counts as a change). */
    void touched(String id) {
        long at = clock.incrementAndGet();
        changedAt = at;
        if (id != null) {
            touchedAt.put(id, at);
            byId.remove(id);
        }
    }

    /**
     * A changing call of Berth's own ended (a container, network or volume made, started or
     * removed): networks and volumes send no event Berth follows, so it counts as one.
     */
    void changed() {
        changedAt = clock.incrementAndGet();
    }

    /** True when the stream has been up without a break since {@code mark}, and no event or change came since. */
    boolean quietSince(long mark) {
        return following && brokenAt <= mark && changedAt <= mark;
    }

    /** The kept inspect of {@code id}, or null when it must be inspected again. */
    ObservedContainer get(String id, String listState, Instant now) {
        Entry e = following ? byId.get(id) : null;
        if (e == null || !e.listState().equals(listState) || !now.isBefore(e.at().plus(maxAge))) {
            return null;
        }
        return e.container();
    }

    /** Keeps an inspect begun at {@code mark}, unless an event or a break came after it began. */
    void put(String id, String listState, ObservedContainer c, long mark, Instant now) {
        if (!fresh(id, mark)) {
            return;
        }
        Entry e = new Entry(c, listState, now);
        byId.put(id, e);
        // An event or a break between the check and the put removed nothing yet: look again.
        if (!fresh(id, mark)) {
            byId.remove(id, e);
        }
    }

    private boolean fresh(String id, long mark) {
        return following && brokenAt <= mark && touchedAt.getOrDefault(id, Long.MIN_VALUE) <= mark;
    }

    /** Forgets containers that are gone. */
    void retain(Set<String> ids) {
        byId.keySet().retainAll(ids);
        touchedAt.keySet().retainAll(ids);
    }
}
