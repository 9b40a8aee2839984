package dev.berth.engine;

import dev.berth.observed.ObservedContainer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Remembers which of Berth's containers someone else stopped, killed or removed, from the
 * engine's container events, so that an operator's {@code docker stop}, {@code docker kill} or
 * {@code docker rm -f} is not taken for a failure of the revision the container runs.
 *
 * <p>What the engine tells apart: a stop, kill or forced removal through the API emits
 * {@code kill} (with the signal) and then {@code die}, {@code stop}, {@code destroy}; a process
 * that exits on its own emits only {@code die}; an OOM kill emits {@code oom}, then {@code die}.
 * Berth's own removals are announced with {@link #own} before Berth asks the engine, and their
 * events are ignored.
 *
 * <p>The rules, per container id ({@link #onEvent}, {@link #ids}):
 * <ul>
 * <li>{@code kill}, {@code stop} or {@code destroy} not announced as Berth's marks the container at
 *     once — before its {@code die} arrives, so a pass that already sees it exited is not fooled;
 * <li>{@code oom} clears the mark and blocks it until the container starts again: the OOM is the
 *     revision's (its memory limit), whoever else sent a signal;
 * <li>a {@code die} more than {@link #SIGNAL_WINDOW} after the last such request clears the mark:
 *     the process outlived the signal (a {@code docker kill -s HUP}) and exited on its own later;
 * <li>{@code start} clears everything: a new run is judged afresh;
 * <li>marks and announcements are forgotten after {@link #REMEMBER}, so memory stays bounded.
 * </ul>
 * And while the event stream is broken ({@link #streamBroken} until {@link #streamFollowing}),
 * nothing tells: an engine that restarts closes its API before it stops the containers, and
 * forgets its events. So a container that exited while Berth could not follow the events
 * ({@link #ids(Collection, Instant)}: its {@code finishedAt} in such a gap) is not taken for a
 * failure of its revision either — the engine's own shutdown stopped it, most likely. A replica
 * that really crashed in the gap is started again once without counting; if it crashes again,
 * that counts.
 *
 * <p>Thread-safe: events arrive on the engine's stream thread, passes read {@link #ids} on theirs.
 */
public final class ExternalStops {
    private static final Logger LOG = Logger.getLogger(ExternalStops.class);
    /** How long a mark lasts; far longer than a pass needs to see the container and repair it. */
    static final Duration REMEMBER = Duration.ofMinutes(10);
    /** How long after a stop or kill request a {@code die} still counts as its result (stop grace periods included). */
    static final Duration SIGNAL_WINDOW = Duration.ofMinutes(2);

    /** One container someone else stopped: what they did and what the container was. */
    public record Stop(String containerId, String name, String service, Integer revision, String action, String signal,
            Instant at) {
        /** "stopped by someone else (kill signal=15)" */
        public String describe() {
            return "replica " + name + " stopped by someone else (" + action
                    + (signal == null ? "" : " signal=" + signal) + "); repaired, not counted against revision "
                    + (revision == null ? "?" : revision);
        }
    }

    /** A stop just before the stream broke is the engine's too (its shutdown and the break are not ordered exactly). */
    static final Duration GAP_SLACK = Duration.ofSeconds(2);

    /** A time the event stream was broken; {@code to} null while it still is. */
    private record Gap(Instant from, Instant to) {
        boolean holds(Instant t) {
            return !t.isBefore(from.minus(GAP_SLACK)) && (to == null || !t.isAfter(to));
        }
    }

    private final java.util.ArrayDeque<Gap> gaps = new java.util.ArrayDeque<>();
    private final Map<String, Stop> marked = new HashMap<>();
    private final Map<String, Instant> own = new HashMap<>();
    /** Containers whose run ended in an OOM kill, and when. */
    private final Map<String, Instant> oomed = new HashMap<>();
    private final CopyOnWriteArrayList<Consumer<Stop>> listeners = new CopyOnWriteArrayList<>();

    /** Called for each newly marked container (on the event thread), after it was logged. */
    public void listen(Consumer<Stop> l) {
        listeners.add(l);
    }

    /** Berth itself is about to stop or remove this container: its events are not someone else's. */
    public synchronized void own(String id, Instant now) {
        own.put(id, now);
    }

    /**
     * One container event.
     *
     * @param attributes the event actor's attributes: labels, {@code name}, {@code signal}, {@code exitCode}
     */
    public void onEvent(String action, String id, Map<String, String> attributes, Instant now) {
        if (action == null || id == null) {
            return;
        }
        Stop added = null;
        synchronized (this) {
            expire(now);
            switch (action) {
                case "start" -> {
                    marked.remove(id);
                    oomed.remove(id);
                }
                case "oom" -> {
                    marked.remove(id);
                    oomed.put(id, now);
                }
                case "die" -> {
                    Stop s = marked.get(id);
                    if (s != null && now.isAfter(s.at().plus(SIGNAL_WINDOW))) {
                        marked.remove(id);
                    }
                }
                case "kill", "stop", "destroy" -> {
                    if (own.containsKey(id) || oomed.containsKey(id)) {
                        return;
                    }
                    Stop before = marked.get(id);
                    Map<String, String> a = attributes == null ? Map.of() : attributes;
                    String signal = action.equals("kill") ? a.get("signal") : before == null ? null : before.signal();
                    String first = before == null ? action : before.action();
                    Stop s = new Stop(id, a.getOrDefault("name", shortId(id)), a.get(Labels.SERVICE),
                            revision(a.get(Labels.REVISION)), first, signal, now);
                    marked.put(id, s);
                    if (before == null) {
                        added = s;
                    }
                }
                default -> { }
            }
        }
        if (added != null) {
            LOG.warnf("service=%s revision=%s %s", added.service(), added.revision(), added.describe());
            for (Consumer<Stop> l : listeners) {
                l.accept(added);
            }
        }
    }

    /** Containers someone else stopped, killed or removed, as far as the events tell. */
    public synchronized Set<String> ids(Instant now) {
        expire(now);
        return Set.copyOf(marked.keySet());
    }

    /**
     * {@link #ids(Instant)}, and those of {@code containers} that exited while the event stream
     * was broken (an engine restart, most likely), which no event could tell apart.
     */
    public synchronized Set<String> ids(java.util.Collection<ObservedContainer> containers, Instant now) {
        Set<String> out = new java.util.HashSet<>(ids(now));
        if (!gaps.isEmpty()) {
            for (ObservedContainer c : containers) {
                if (!c.isUp() && c.finishedAt() != null && gaps.stream().anyMatch(g -> g.holds(c.finishedAt()))) {
                    out.add(c.id());
                }
            }
        }
        return out;
    }

    /** The event stream broke (the engine went away, or the connection did). */
    public synchronized void streamBroken(Instant now) {
        if (gaps.isEmpty() || gaps.peekLast().to() != null) {
            gaps.addLast(new Gap(now, null));
        }
    }

    /** The event stream follows the engine again. */
    public synchronized void streamFollowing(Instant now) {
        if (!gaps.isEmpty() && gaps.peekLast().to() == null) {
            gaps.addLast(new Gap(gaps.pollLast().from(), now));
        }
    }

    private void expire(Instant now) {
        Instant cutoff = now.minus(REMEMBER);
        gaps.removeIf(g -> g.to() != null && g.to().isBefore(cutoff));
        marked.values().removeIf(s -> s.at().isBefore(cutoff));
        own.values().removeIf(t -> t.isBefore(cutoff));
        oomed.values().removeIf(t -> t.isBefore(cutoff));
    }

    private static Integer revision(String s) {
        try {
            return s == null ? null : Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String shortId(String id) {
        return id.substring(0, Math.min(12, id.length()));
    }
}
