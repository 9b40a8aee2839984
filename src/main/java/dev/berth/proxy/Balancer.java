package dev.berth.proxy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The members of one proxied port and the order to try them in: least in-flight first, ties
 * broken round-robin so equal replicas share the load. Membership changes swap an immutable
 * list, so a request never sees half an update; a member that leaves stops getting new
 * requests at once while its in-flight ones finish (draining).
 */
final class Balancer {
    private volatile List<Backend> members = List.of();
    private final AtomicLong turn = new AtomicLong();

    List<Backend> members() {
        return members;
    }

    /** Replaces the members; returns the backends that left (to drain). */
    synchronized List<Backend> set(List<Backend> next) {
        List<Backend> kept = new ArrayList<>();
        List<Backend> left = new ArrayList<>(members);
        for (Backend n : next) {
            Backend existing = left.stream().filter(b -> b.sameAs(n))
                    .findFirst().orElse(null);
            if (existing != null) {
                left.remove(existing);
                kept.add(existing);
            } else {
                kept.add(n);
            }
        }
        members = List.copyOf(kept);
        return left;
    }

    /** Every member, best first. Empty when no replica is ready. */
    List<Backend> order() {
        List<Backend> m = members;
        if (m.size() <= 1) {
            return m;
        }
        int start = (int) (turn.getAndIncrement() % m.size());
        List<Backend> rotated = new ArrayList<>(m.size());
        for (int i = 0; i < m.size(); i++) {
            rotated.add(m.get((start + i) % m.size()));
        }
        rotated.sort(Comparator.comparingInt(b -> b.inFlight.get()));
        return rotated;
    }
}
