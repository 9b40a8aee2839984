package dev.berth.api;

import java.util.concurrent.Semaphore;

/**
 * How many log streams may be followed at once. A followed stream holds one of the API's worker
 * threads for as long as the client reads (the engine's stream is blocking), and the API has
 * about twenty: without a bound, twenty {@code berth logs -f} would leave every other call of the
 * API waiting. A slot is taken where the stream is written and given back when it ends, so a
 * client that goes away before the answer starts takes none.
 */
final class LogFollowers {
    static final int MAX = 8;

    private final Semaphore slots;

    LogFollowers(int max) {
        this.slots = new Semaphore(max);
    }

    /** Whether a slot is free now: the cheap check before answering 200. */
    boolean full() {
        return slots.availablePermits() == 0;
    }

    /** Takes a slot, or answers false when another request took the last one meanwhile. */
    boolean enter() {
        return slots.tryAcquire();
    }

    void leave() {
        slots.release();
    }
}
