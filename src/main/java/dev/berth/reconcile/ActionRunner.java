package dev.berth.reconcile;

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
 * A pass's act step: carries a plan out. Project-wide actions (networks, volumes) run here on
 * the planning thread, in plan order; removals start in the background ({@link Removals}); each
 * service's creates and starts become one job on its worker ({@link ServiceWorkers}). Every action
 * is logged and evented; an engine error gives its key (the service, or {@link #PROJECT}) a
 * backoff in {@link Failures}, and a job that runs through clears it.
 */
final class ActionRunner {
    private static final Logger LOG = Logger.getLogger(ActionRunner.class);
    /** Failure key of project-wide actions (networks, volumes); not a valid service name, so no clash. */
    static final String PROJECT = "(project)";

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
    Set<String> act(Plan plan, Set<String> failedToResolve, long mark) {
        Map<String, List<Action>> batches = new LinkedHashMap<>();
        Set<String> dispatched = new HashSet<>();
        boolean projectFailed = false;
        for (Action a : plan.actions()) {
            String service = a.service();
            if (a instanceof Action.RemoveContainer r) {
                announce(a);
                countRestart(a);
                removals.remove(r);
            } else if (service != null && failedToResolve.contains(service)) {
                continue;
            } else if (service == null) {
                // Every project action runs every pass, each on its own: a network that cannot be
                // made must not keep another (the default one, say) from being made.
                dispatched.add(PROJECT);
                projectFailed |= !run(PROJECT, a);
            } else {
                batches.computeIfAbsent(service, k -> new ArrayList<>()).add(a);
            }
        }
        if (dispatched.contains(PROJECT) && !projectFailed) {
            failures.succeeded(PROJECT, Failures.Kind.ACTION);
        }
        batches.forEach((service, batch) -> {
            if (!workers.idleSince(service, mark)) {
                LOG.debugf("service=%s has work in flight; %d actions wait for the next pass", service, batch.size());
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
