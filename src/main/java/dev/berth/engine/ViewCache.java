package dev.berth.engine;

import dev.berth.observed.ObservedState;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The last whole view of the engine (Berth's containers, networks and volumes), kept so a pass
 * that did not ask for a fresh one costs no engine call at all. The view is given out only
 * while all of these hold:
 *
 * <ul>
 *   <li>the event stream has been up without a break since the view's list calls began, so
 *       every event about Berth's containers reached {@link #changed};
 *   <li>no such event arrived since then, and no changing call of Berth's own ended since then
 *       (networks and volumes send no event Berth follows, so its own calls count as events);
 *   <li>the view is younger than {@code maxAge}.
 * </ul>
 *
 * The periodic resync always asks for a fresh view: what no event tells (a network or volume
 * removed by hand, a network disconnected by hand) is seen at the next resync. Thread-safe:
 * events arrive on the stream's thread, changing calls end on worker threads, passes run on the
 * planning thread.
 */
final class ViewCache {
    private record Entry(ObservedState view, Instant at) {}

    private final Duration maxAge;
    private final AtomicLong clock = new AtomicLong();
    private volatile long changedAt;
    private volatile boolean following;
    private volatile Entry entry;

    ViewCache(Duration maxAge) {
        this.maxAge = maxAge;
    }

    /** A point in the cache's history: take it before the list calls, give it to {@link #put}. */
    long mark() {
        return clock.get();
    }

    /** The event stream started: views taken from now on may be kept. */
    void following() {
        changed();
        following = true;
    }

    /** The event stream broke: events may be missed, so no view may be kept. */
    void broken() {
        following = false;
        changed();
    }

    /** An event about one of Berth's containers arrived, or a changing call of Berth's ended. */
    void changed() {
        changedAt = clock.incrementAndGet();
        entry = null;
    }

    /** The kept view, or null when the engine must be asked again. */
    ObservedState get(Instant now) {
        Entry e = entry;
        return following && e != null && now.isBefore(e.at().plus(maxAge)) ? e.view() : null;
    }

    /** Keeps a view whose list calls began at {@code mark}, unless anything changed after that. */
    void put(ObservedState view, long mark, Instant now) {
        if (!fresh(mark)) {
            return;
        }
        Entry e = new Entry(view, now);
        entry = e;
        // A change between the check and the write removed nothing yet: drop it again.
        if (!fresh(mark) && entry == e) {
            entry = null;
        }
    }

    private boolean fresh(long mark) {
        return following && changedAt <= mark;
    }
}
