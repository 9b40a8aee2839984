package dev.berth.engine;

import java.time.Instant;

/**
 * Where a renewed engine event stream starts: the engine's time of the newest event seen, or,
 * before any event, the time of the first subscription. Events at or before the checkpoint were
 * delivered already and are dropped ({@link #advance}), so a replay from the checkpoint hands
 * each event on once. Thread-safe (events arrive on the stream thread, reconnections on another).
 */
final class EventCheckpoint {
    private long nanos;

    /**
     * The {@code since} argument for a (re)subscription, in the engine's form
     * {@code seconds.nanoseconds}. The first call fixes the checkpoint at {@code now}.
     */
    synchronized String since(Instant now) {
        if (nanos == 0) {
            nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }
        return format(nanos);
    }

    /**
     * Records an event's time ({@code timeNano}, else {@code time} in seconds; 0 when unknown).
     *
     * @return false for an event at or before the checkpoint (seen already), true otherwise
     */
    synchronized boolean advance(Long timeNano, Long timeSeconds) {
        long t = timeNano != null && timeNano > 0 ? timeNano
                : timeSeconds != null && timeSeconds > 0 ? timeSeconds * 1_000_000_000L : 0;
        if (t == 0) {
            return true; // no time: cannot tell, hand it on (an extra wake-up is harmless)
        }
        if (t <= nanos) {
            return false;
        }
        nanos = t;
        return true;
    }

    static String format(long nanos) {
        return String.format("%d.%09d", nanos / 1_000_000_000L, nanos % 1_000_000_000L);
    }
}
