package dev.berth.reconcile;

import dev.berth.desired.BackoffPolicy;
import dev.berth.desired.DesiredState;
import dev.berth.engine.DockerEngine;
import dev.berth.events.EventLog;
import dev.berth.health.HealthMonitor;
import dev.berth.manifest.LoadResult;
import dev.berth.manifest.ManifestLoader;
import dev.berth.metrics.BerthMetrics;
import dev.berth.observed.ObservedState;
import dev.berth.observed.ReplicaHealth;
import dev.berth.plan.Plan;
import dev.berth.proxy.TrafficSwitch;
import dev.berth.proxy.Upstream;
import dev.berth.resolve.Resolver;
import dev.berth.rollout.Command;
import dev.berth.rollout.CommandRejected;
import dev.berth.state.StateStore;
import dev.berth.status.StatusBoard;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One reconcile pass: observe (manifests, engine, probes) → resolve and decide each rollout →
 * plan → route traffic → act → publish status, each step its own collaborator. Level-triggered:
 * a pass never depends on what woke it, so any number of triggers fold into one pass. A pass with
 * nothing to do makes no changing call to the engine. Single-threaded by contract:
 * {@link ReconcileLoop} is the only caller of {@link #pass()}. Slow work runs elsewhere (service
 * workers, pull workers, background removals), whose end wakes the loop.
 */
public final class Reconciler implements ReconcileBackend {
    private static final Logger LOG = Logger.getLogger(Reconciler.class);

    private final ManifestLoader loader;
    private final StateStore state;
    private final HealthMonitor health;
    private final Consumer<String> wake;
    private final Failures failures;
    private final ServiceWorkers workers;
    private final ImagePulls pulls;
    private final Removals removals;
    private final Traffic traffic;

    private final ObserveStep observing;
    private final RestartCommands restarts;
    private final ResolveStep resolving;
    private final PlanStep planning;
    private final ActionRunner actions;
    private final ProbeTargets probeTargets;
    private final StatusPublisher publisher;
    private final Retention retention;

    private final CommandQueue commands;
    /** Whether the proxy and the probes reach replicas at their addresses ({@link Upstream}), asked each pass. */
    private final java.util.function.BooleanSupplier direct;
    /** Proxy errors already logged: each is logged once, not every pass. */
    private final Set<String> warned = new HashSet<>();

    /**
     * @param workers engine work in parallel across services (one job per service at a time)
     */
    public Reconciler(ManifestLoader loader, DockerEngine engine, StateStore state, StatusBoard board,
            Path secretsDir, Duration pullTimeout, int workers, BackoffPolicy backoff, boolean allowEmpty,
            HealthMonitor health, TrafficSwitch proxy, Upstream upstream, EventLog events, BerthMetrics metrics,
            Consumer<String> wake) {
        this.loader = loader;
        this.state = state;
        this.health = health;
        this.wake = wake;
        this.commands = new CommandQueue(wake);
        this.failures = new Failures(backoff);
        this.workers = new ServiceWorkers("worker", workers, wake);
        this.pulls = new ImagePulls(engine, pullTimeout, workers, wake);
        this.removals = new Removals(engine, proxy, state.dir().resolve("leaving"), wake);
        this.traffic = new Traffic(proxy, health, removals);
        this.direct = () -> upstream.direct(engine::reachesContainers);
        Resolver resolver = new Resolver(engine, state.dir().resolve("files"), secretsDir, pulls);
        this.restarts = new RestartCommands(state, events);
        this.resolving = new ResolveStep(resolver, state, new RolloutSteps(state, resolver, engine, events, metrics),
                failures, removals, metrics);
        this.planning = new PlanStep(engine.project(), state, removals, failures, backoff,
                engine.externalStops());
        this.actions = new ActionRunner(engine, state, this.workers, removals, failures, events, metrics);
        this.probeTargets = new ProbeTargets(state, removals);
        this.publisher = new StatusPublisher(board, health, removals, failures, events, metrics);
        this.retention = new Retention(state, resolver);
        this.observing = new ObserveStep(engine, state, removals, publisher, metrics, loader.dir(), allowEmpty);
    }

    /**
     * A replica's readiness changed: its proxy membership follows at once, without waiting for a
     * pass; the pass that follows does the rest (replacing, rolling on). Safe from any thread.
     */
    public void healthChanged(String reason) {
        traffic.reroute();
        wake.accept(reason);
    }

    /**
     * Queues an operator command for the next pass and wakes the loop. The future completes after
     * the pass that applied it published its status, or fails with {@link CommandRejected}.
     */
    @Override
    public CompletableFuture<Void> submit(Command c) {
        return commands.submit(c);
    }

    /** Runs one pass that asks the engine afresh. */
    public Instant pass() {
        return pass(true);
    }

    /**
     * Runs one pass; returns when the loop should look again at the latest (null: only on
     * triggers). {@code fresh}: ask the engine even when the event stream vouches for the view kept
     * from the last pass.
     */
    @Override
    public Instant pass(boolean fresh) {
        return commands.run(pending -> pass(pending, fresh));
    }

    private Instant pass(List<PendingCommand> pending, boolean fresh) {
        state.beginPass();
        // The pass's state changes are written together before it acts on them (StateStore.hold).
        state.hold();
        RuntimeException failed = null;
        try {
            return planAndAct(pending, fresh);
        } catch (RuntimeException e) {
            failed = e;
            throw e;
        } finally {
            try {
                state.commit(); // what a failed pass decided is kept, as it was when each change was written at once
            } catch (RuntimeException e) {
                if (failed == null) {
                    throw e;
                }
                failed.addSuppressed(e);
            }
        }
    }

    private Instant planAndAct(List<PendingCommand> pending, boolean fresh) {
        // Taken before observing: work finishing meanwhile must still count as Berth's doing, and
        // a service whose job ends after this point is not planned from a view that misses it.
        Set<String> leaving = removals.leaving();
        long mark = workers.mark();
        Future<ObservedState> reading = observing.start(fresh);
        LoadResult load = loader.load();
        publisher.reportProblems(load.problems());
        ObservedState observed = observing.observe(load, pending, reading);
        if (observed == null) {
            return Instant.now().plusSeconds(5);
        }
        if (observing.refused(load, observed, pending)) {
            return null;
        }
        DesiredState desired = load.desired();
        if (removals.resume(observed, desired) > 0) {
            leaving = removals.leaving();
        }
        Instant now = Instant.now();
        Map<String, ReplicaHealth> probes = health.snapshot();

        restarts.apply(desired, pending);
        ResolveStep.Resolved resolved = resolving.resolveAll(desired, observed, leaving, probes, now, pending);
        Plan plan = planning.plan(desired, observed, resolved, leaving, probes, now);
        // Successors that became ready join before any predecessor is drained by the act step.
        boolean direct = this.direct.getAsBoolean();
        traffic.route(desired.services(), observed.containers(), observed.networks(), direct);
        state.commit();
        Set<String> dispatched = actions.act(plan, resolved.errors().keySet(), mark, now);
        health.sync(probeTargets.of(desired, observed, direct));
        Map<String, String> proxyErrors = reroute();
        settleFailures(desired, dispatched, now);
        publisher.publish(desired, resolved, observed, proxyErrors, load.problems(), plan);
        pending.forEach(p -> p.done().complete(null));
        retention.apply(desired, observed, resolved, plan);

        Instant next = earliest(plan.wakeAt(), failures.retryAt().values());
        Instant join = Routes.nextJoin(desired.services(), observed.containers(), health.snapshot(), Instant.now());
        return earliest(next, join == null ? List.of() : List.of(join));
    }

    /** Routes again with the probes just synced; answers (and logs once) why a proxy port could not be opened. */
    private Map<String, String> reroute() {
        Map<String, String> proxyErrors = traffic.reroute();
        proxyErrors.forEach((svc, err) -> {
            if (warned.add("proxy " + svc + " " + err)) {
                LOG.errorf("service=%s proxy: %s", svc, err);
            }
        });
        return proxyErrors;
    }

    /**
     * An engine error whose retry time passed with nothing failing again is over (unless work of
     * that key is still running); failures and workers of services no longer declared are dropped,
     * and a network's or volume's failure stays only until it expires.
     */
    private void settleFailures(DesiredState desired, Set<String> dispatched, Instant now) {
        for (String name : desired.services().keySet()) {
            if (!dispatched.contains(name) && !workers.busy(name)) {
                failures.expire(name, now);
            }
        }
        Set<String> keys = new HashSet<>(desired.services().keySet());
        for (String key : failures.retryAt().keySet()) {
            if (ActionRunner.isProjectKey(key)) {
                if (!dispatched.contains(key) && !workers.busy(key)) {
                    failures.expire(key, now);
                }
                keys.add(key);
            }
        }
        failures.retain(keys);
        workers.retain(keys);
    }

    private static Instant earliest(Instant a, Iterable<Instant> more) {
        Instant best = a;
        for (Instant i : more) {
            if (best == null || i.isBefore(best)) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public void close() {
        observing.close();
        workers.close();
        pulls.close();
        removals.close();
    }
}
