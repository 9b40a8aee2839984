package dev.berth.engine;

import dev.berth.observed.ObservedState;
import java.time.Duration;
import java.time.Instant;

/**
 * The last whole view of the engine (Berth's containers, networks and volumes), kept so a pass
 * that did not ask for a fresh one costs no engine call at all. The view is given out only
 * while all of these hold ({@link InspectCache#quietSince}, which follows the event stream):
 *
 * <ul>
 *   <li>the event stream has been up without a break since the view's list calls began, so
 *       every event about Berth's containers was seen;
 *   <li>no such event arrived since then, and no changing call of Berth's own ended since then
 *       (networks and volumes send no event Berth follows, so its own calls count as events);
 *   <li>the view is younger than {@code maxAge}.
 * </ul>
 *
 * The periodic resync always asks for a fresh view: what no event tells (a network or volume
 * removed by hand, a network disconnected by hand) is seen at the next resync. Thread-safe.
 */
final class ViewCache {
    private record Entry(ObservedState view, long mark, Instant at) {}

    private final InspectCache stream;
    private final Duration maxAge;
    private volatile Entry entry;

    /** @param stream where events, breaks and Berth's own changes are counted */
    ViewCache(InspectCache stream, Duration maxAge) {
        this.stream = stream;
        this.maxAge = maxAge;
    }

    /** The kept view, or null when the engine must be asked again. */
    ObservedState get(Instant now) {
        Entry e = entry;
        return e != null && stream.quietSince(e.mark()) && now.isBefore(e.at().plus(maxAge)) ? e.view() : null;
    }

    /**
     * Keeps a view whose list calls began at {@code mark} ({@link InspectCache#mark}); one that
     * anything happened after is never given out.
     */
    void put(ObservedState view, long mark, Instant now) {
        if (stream.quietSince(mark)) {
            entry = new Entry(view, mark, now);
        }
    }
}
