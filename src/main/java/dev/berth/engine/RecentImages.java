package dev.berth.engine;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Answers of image inspects by reference, kept for a moment, so the creates of a burst ask the
 * engine once per image, not once per container: a first deployment of 200 services of one
 * image made 200 inspects of it while the engine was busiest. A tag moved within the moment
 * goes unseen by a create; the planner sees that container run another image than its
 * revision's and replaces it (drift), so the cost of the shortcut is bounded. Failures are not
 * kept. Thread-safe.
 */
final class RecentImages {
    private record Seen(Optional<ImageInfo> info, long at) {}

    /** Beyond this many references, answers that are too old are dropped. */
    private static final int TIDY_ABOVE = 256;

    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final long maxAgeNanos;
    private final LongSupplier nanoClock;

    RecentImages(Duration maxAge, LongSupplier nanoClock) {
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoClock = nanoClock;
    }

    /** The kept answer for {@code ref} while it is younger than the max age, else {@code inspect}'s. */
    Optional<ImageInfo> get(String ref, Function<String, Optional<ImageInfo>> inspect) {
        long now = nanoClock.getAsLong();
        Seen s = seen.get(ref);
        if (s != null && now - s.at() < maxAgeNanos) {
            return s.info();
        }
        Optional<ImageInfo> info = inspect.apply(ref);
        seen.put(ref, new Seen(info, now));
        if (seen.size() > TIDY_ABOVE) {
            seen.values().removeIf(x -> now - x.at() >= maxAgeNanos);
        }
        return info;
    }

    /** How many answers are kept (tests). */
    int size() {
        return seen.size();
    }
}
