package dev.berth.reconcile;

import dev.berth.desired.DesiredState;
import dev.berth.desired.ServiceSpec;
import dev.berth.engine.DockerEngine;
import dev.berth.engine.EngineException;
import dev.berth.events.EventLog;
import dev.berth.metrics.BerthMetrics;
import dev.berth.observed.ContainerState;
import dev.berth.plan.Action;
import dev.berth.plan.Plan;
import dev.berth.state.StateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * A pass's act step: carries a plan out. Removals start in the background ({@link Removals});
 * each project-wide action (a network, a volume) becomes a job of its own on the workers under
 * {@link #projectKey}; each service's creates and starts become one job on its worker
 * ({@link ServiceWorkers}). Nothing here waits for the engine on the planning thread: a network
 * the engine takes 15 s to refuse (an unknown driver makes dockerd search for a plugin) must not
 * hold every service's status back. A service whose new containers need a network or volume that
 * project work is still making waits for the pass that follows it. Every action is logged and
 * evented; an engine error gives its key (the service, or the project object) a backoff in
 * {@link Failures}, and a job that runs through clears it.
 */
final class ActionRunner {
    private static final Logger LOG = Logger.getLogger(ActionRunner.class);
    private final DockerEngine engine;
    private final StateStore state;
    private final ServiceWorkers workers;
    private final Removals removals;
    private final Failures failures;
    private final EventLog events;
    private final BerthMetrics metrics;

    ActionRunner(DockerEngine engine, StateStore state, ServiceWorkers workers, Removals removals, Failures failures,
            EventLog events, BerthMetrics metrics) {
        this.engine = engine;
        this.state = state;
        this.workers = workers;
        this.removals = removals;
        this.failures = failures;
        this.events = events;
        this.metrics = metrics;
    }

    /**
     * Carries {@code plan} out. Actions of services that failed to resolve are skipped (their
     * removals still run: the planner only removes what it may). A service whose worker had work
     * end after {@code mark} gets nothing (the next pass plans it again from a view that has that
     * work). Answers the keys that got work.
     */
    Set<String> act(Plan plan, Set<String> failedToResolve, long mark, Instant now) {
        Map<String, List<Action>> batches = new LinkedHashMap<>();
        Set<String> dispatched = new HashSet<>();
        List<Action> project = new ArrayList<>();
        boolean removing = false;
        for (Action a : plan.actions()) {
            String service = a.service();
            if (a instanceof Action.RemoveContainer r) {
                announce(a);
                countRestart(a);
                removals.remove(r);
                removing = true;
            } else if (service != null && failedToResolve.contains(service)) {
                continue;
            } else if (service == null) {
                project.add(a);
            } else {
                batches.computeIfAbsent(service, k -> new ArrayList<>()).add(a);
            }
        }
        if (removing) {
            removals.record();
        }
        Set<String> making = actOnProject(project, mark, now, dispatched);
        batches.forEach((service, batch) -> {
            if (!workers.idleSince(service, mark)) {
                LOG.debugf("service=%s has work in flight; %d actions wait for the next pass", service, batch.size());
                return;
            }
            if (batch.stream().anyMatch(a -> needsAny(a, making))) {
                LOG.debugf("service=%s waits for its networks or volumes to be made", service);
                return;
            }
            batch.forEach(this::countRestart);
            if (workers.submit(service, batch.size() + " actions", () -> {
                for (Action a : batch) {
                    if (!run(service, a)) {
                        return;
                    }
                }
                failures.succeeded(service, Failures.Kind.ACTION);
            })) {
                dispatched.add(service);
            }
        });
        return dispatched;
    }

    /**
     * Starts one job per network or volume action, each under its own key ({@link #projectKey}),
     * unless that key's job is in flight, ended after {@code mark} (the plan may repeat its create)
     * or failed and waits out its backoff. One object per job: a network the engine is slow to
     * refuse must not hold back another (the default one, say), nor the services that only need
     * the other. Answers the networks and volumes ("network:NAME", "volume:NAME") still being made,
     * which new containers must wait for; not those backing off, whose users' creates fail on their
     * own and say why.
     */
    private Set<String> actOnProject(List<Action> project, long mark, Instant now, Set<String> dispatched) {
        Set<String> making = new HashSet<>();
        for (Action a : project) {
            String key = projectKey(a);
            if (failures.backingOff(key, Failures.Kind.ACTION, now)) {
                continue;
            }
            if (a instanceof Action.CreateNetwork n) {
                making.add("network:" + n.spec().name());
            } else if (a instanceof Action.CreateVolume v) {
                making.add("volume:" + v.spec().name());
            }
            if (workers.idleSince(key, mark) && workers.submit(key, a.describe(), () -> {
                if (run(key, a)) {
                    failures.succeeded(key, Failures.Kind.ACTION);
                }
            })) {
                dispatched.add(key);
            }
        }
        return making;
    }

    /**
     * The failure and worker key of a project-wide action: "(network NAME)" or "(volume NAME)".
     * The parentheses keep it apart from every valid service name.
     */
    static String projectKey(Action a) {
        if (a instanceof Action.CreateNetwork n) {
            return "(network " + n.spec().name() + ")";
        }
        if (a instanceof Action.RemoveNetwork n) {
            return "(network " + n.name() + ")";
        }
        if (a instanceof Action.CreateVolume v) {
            return "(volume " + v.spec().name() + ")";
        }
        throw new IllegalArgumentException("not a project action: " + a.describe());
    }

    static boolean isProjectKey(String key) {
        return key.startsWith("(");
    }

    /** True when {@code a} makes a container that joins a network or mounts a volume in {@code making}. */
    private static boolean needsAny(Action a, Set<String> making) {
        if (making.isEmpty() || !(a instanceof Action.CreateContainer c)) {
            return false;
        }
        ServiceSpec spec = c.target().spec();
        List<String> networks = spec.networks().isEmpty() ? List.of(DesiredState.DEFAULT_NETWORK) : spec.networks();
        return networks.stream().anyMatch(n -> making.contains("network:" + n))
                || spec.volumes().stream().anyMatch(v -> v.isNamed() && making.contains("volume:" + v.volume()));
    }

    /**
     * Crash restarts and unhealthy replacements alike: the planner times the next one from the
     * persisted count, so it survives a restart of Berth.
     */
    private void countRestart(Action a) {
        if (a.restartNumber() > 0 && a.service() != null) {
            state.restarted(a.service(), a.restartKey(), a.restartNumber());
        }
    }

    /** Runs one action; on an engine error records the failure under {@code key} and answers false. */
    private boolean run(String key, Action a) {
        announce(a);
        try {
            execute(a);
            return true;
        } catch (EngineException e) {
            LOG.errorf("%s action failed: %s", a.service() == null ? "project" : "service=" + key, e.getMessage());
            events.warning(a.service(), revisionOf(a), "Failed", a.describe() + ": " + e.getMessage());
            metrics.engineError();
            failures.fail(key, Failures.Kind.ACTION, e.getMessage(), Instant.now());
            discardIfNeverStarted(a);
            return false;
        }
    }

    /**
     * A container that was created but never ran holds nothing worth keeping, and when its start
     * fails the engine's record of it may be what is broken: an engine restart that cut the create
     * short leaves the runtime with a stale task, and every later start answers "task already
     * exists". So it goes, and the next pass (after the backoff) makes a fresh incarnation.
     * Containers that ran before are started again, never discarded: their writable layer is theirs.
     */
    private void discardIfNeverStarted(Action a) {
        if (!(a instanceof Action.StartContainer s) || s.container().state() != ContainerState.CREATED) {
            return;
        }
        try {
            engine.stopAndRemove(s.container().id(), Duration.ZERO);
            LOG.infof("service=%s discarded %s: created, never started, and its start failed", s.service(),
                    s.container().name());
            events.normal(s.service(), s.container().revision(), "DiscardContainer", "discarded "
                    + s.container().name() + ": created, never started, and its start failed; a fresh one follows");
        } catch (EngineException e) {
            LOG.warnf("service=%s could not discard %s: %s", s.service(), s.container().name(), e.getMessage());
        }
    }

    private void announce(Action a) {
        Integer revision = revisionOf(a);
        String rev = revision == null ? "" : " revision=" + revision;
        LOG.infof("%s%s %s", a.service() == null ? "project" : "service=" + a.service(), rev, a.describe());
        events.normal(a.service(), revision, a.getClass().getSimpleName(), a.describe());
    }

    /** Removals never get here: they go through {@link Removals}. */
    private void execute(Action a) {
        if (a instanceof Action.CreateNetwork n) {
            engine.createNetwork(n.spec());
        } else if (a instanceof Action.RemoveNetwork n) {
            engine.removeNetwork(n.id());
        } else if (a instanceof Action.CreateVolume v) {
            engine.createVolume(v.spec());
        } else if (a instanceof Action.CreateContainer c) {
            engine.createAndStart(c.target(), c.ordinal());
        } else if (a instanceof Action.StartContainer s) {
            engine.start(s.container().id());
        }
    }

    private static Integer revisionOf(Action a) {
        if (a instanceof Action.CreateContainer c) {
            return c.target().revision();
        }
        if (a instanceof Action.RemoveContainer r) {
            return r.container().revision();
        }
        if (a instanceof Action.StartContainer s) {
            return s.container().revision();
        }
        return null;
    }
}
