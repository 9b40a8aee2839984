package dev.berth.reconcile;

import dev.berth.desired.BackoffPolicy;
import dev.berth.desired.DesiredState;
import dev.berth.desired.HealthCheck;
import dev.berth.desired.ServiceSpec;
import dev.berth.engine.DockerEngine;
import dev.berth.engine.EngineException;
import dev.berth.events.EventLog;
import dev.berth.metrics.BerthMetrics;
import dev.berth.health.HealthMonitor;
import dev.berth.health.ProbeTarget;
import dev.berth.manifest.LoadResult;
import dev.berth.manifest.ManifestLoader;
import dev.berth.manifest.Problem;
import dev.berth.observed.ContainerState;
import dev.berth.observed.ObservedContainer;
import dev.berth.observed.ObservedState;
import dev.berth.observed.ReplicaHealth;
import dev.berth.plan.Action;
import dev.berth.plan.Plan;
import dev.berth.plan.PlanInput;
import dev.berth.plan.Planner;
import dev.berth.desired.ResolvedService;
import dev.berth.proxy.TrafficSwitch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import dev.berth.rollout.Command;
import dev.berth.rollout.CommandRejected;
import dev.berth.resolve.ResolveException;
import dev.berth.resolve.ResolvePending;
import dev.berth.resolve.Resolver;
import dev.berth.rollout.RolloutRecord;
import dev.berth.rollout.RolloutState;
import dev.berth.status.ServiceStatus;
import dev.berth.state.StateStore;
import dev.berth.state.StateUnreadable;
import dev.berth.status.StatusBoard;
import dev.berth.status.PhaseTracker;
import dev.berth.status.StatusView;

/**
 * One reconcile pass: read desired state (manifests) and observed state (engine, probes),
 * resolve, decide each rollout, plan, act, route traffic, publish status. Level-triggered: a pass
 * never depends on what woke it, so any number of triggers fold into one pass. A pass with
 * nothing to do makes no changing call to the engine. Single-threaded by contract:
 * {@link ReconcileLoop} is the only caller. Removals run in the background (drain, then stop)
 * and wake the loop when done.
 */
public final class Reconciler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Reconciler.class);

    private final ManifestLoader loader;
    private final DockerEngine engine;
    private final Resolver resolver;
    private final ImagePulls pulls;
    private final StateStore state;
    private final StatusBoard board;
    private final boolean allowEmpty;
    private final HealthMonitor health;
    private final Consumer<String> wake;
    private final Planner planner = new Planner();
    private final BackoffPolicy backoff;
    private final Failures failures;
    private final ServiceWorkers workers;
    private final Removals removals;
    private final Traffic traffic;
    private final RolloutSteps rollouts;

    private final PhaseTracker phases;
    private final Set<String> warned = new HashSet<>();
    /** Why a service's proxy port could not be opened; shown in status, never a reason to hold back its containers. */
    private Map<String, String> proxyErrors = Map.of();
    private boolean engineUp = true;
    /** Error key of project-wide actions (networks, volumes); not a valid service name, so no clash. */
    private static final String PROJECT_KEY = "(project)";

    private final EventLog events;
    private final BerthMetrics metrics;
    private final java.util.concurrent.ConcurrentLinkedQueue<PendingCommand> commands = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private Set<String> lastProblems = Set.of();


    /**
     * @param workers engine work in parallel across services (one job per service at a time)
     */
    public Reconciler(ManifestLoader loader, DockerEngine engine, StateStore state, StatusBoard board,
            java.nio.file.Path secretsDir, Duration pullTimeout, int workers, BackoffPolicy backoff, boolean allowEmpty,
            HealthMonitor health, TrafficSwitch proxy, EventLog events, BerthMetrics metrics, Consumer<String> wake) {
        this.events = events;
        this.metrics = metrics;
        this.loader = loader;
        this.engine = engine;
        this.pulls = new ImagePulls(engine, pullTimeout, workers, wake);
        this.resolver = new Resolver(engine, state, secretsDir, pulls);
        this.state = state;
        this.board = board;
        this.failures = new Failures(backoff);
        this.backoff = backoff;
        this.allowEmpty = allowEmpty;
        this.health = health;
        this.wake = wake;
        this.workers = new ServiceWorkers("worker", workers, wake);
        this.removals = new Removals(engine, proxy, wake);
        this.traffic = new Traffic(proxy, health, removals);
        this.rollouts = new RolloutSteps(state, resolver, engine, events, metrics);
        this.phases = new PhaseTracker(events);
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
    public CompletableFuture<Void> submit(Command c) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        commands.add(new PendingCommand(c, done));
        wake.accept("command " + c.getClass().getSimpleName() + " for " + c.service());
        return done;
    }

    /** Runs one pass; returns when the loop should look again at the latest (null: only on triggers). */
    public Instant pass() {
        List<PendingCommand> pending = new ArrayList<>();
        for (PendingCommand p; (p = commands.poll()) != null; ) {
            pending.add(p);
        }
        try {
            return pass(pending);
        } finally {
            for (PendingCommand p : pending) {
                p.done().completeExceptionally(new CommandRejected(409, "the command could not be applied in this pass"));
            }
        }
    }

    private Instant pass(List<PendingCommand> pending) {
        LoadResult load = loader.load();
        reportProblems(load.problems());
        // Taken before observing: work finishing meanwhile must still count as Berth's doing, and
        // a service whose job ends after this point is not planned from a view that misses it.
        Set<String> leaving = removals.leaving();
        long mark = workers.mark();
        ObservedState observed;
        try {
            observed = engine.observe();
        } catch (EngineException e) {
            metrics.engineError();
            if (engineUp) {
                LOG.errorf("engine unreachable: %s (retrying every 5s)", e.getMessage());
            }
            engineUp = false;
            board.engineDown(new ArrayList<>(load.problems()));
            reject(pending, 503, "the engine is unreachable: " + e.getMessage());
            return Instant.now().plusSeconds(5);
        }
        if (!engineUp) {
            LOG.info("engine reachable again");
            engineUp = true;
        }
        removals.observed(observed.containers().stream().map(ObservedContainer::id).toList());
        state.pruneRestarts(observed.containers().stream()
                .map(c -> Planner.replicaKey(c.service(), c.specHash(), c.ordinal())).collect(java.util.stream.Collectors.toSet()));
        String refusal = load.refusal() != null ? load.refusal() : emptyRefusal(load, observed);
        if (refusal != null) {
            if (warned.add(refusal)) {
                LOG.errorf("refusing to act: %s", refusal);
            }
            // Keep showing the services as last seen: they still run, untouched.
            board.refused(load.problems(), refusal);
            reject(pending, 409, "Berth refuses to act on the manifests directory: " + refusal);
            return null;
        }
        DesiredState desired = load.desired();
        Instant now = Instant.now();
        Map<String, ReplicaHealth> probes = health.snapshot();
        applyRestarts(desired, pending);

        Map<String, ResolvedService> targets = new HashMap<>();
        Map<String, RolloutRecord> rollouts = new HashMap<>();
        Map<String, String> resolveErrors = new HashMap<>();
        Map<String, String> waiting = new HashMap<>();
        for (ServiceSpec s : desired.services().values()) {
            if (failures.backingOff(s.name(), Failures.Kind.RESOLVE, now)) {
                // A failed pull or missing file is retried on the backoff schedule, not every pass.
                resolveErrors.put(s.name(), failures.get(s.name()).message());
                continue;
            }
            try {
                state.problem(s.name()).ifPresent(e -> {
                    throw e;
                });
                ResolvedService manifest = resolver.resolve(s, observed.of(s.name()));
                failures.succeeded(s.name(), Failures.Kind.RESOLVE);
                // Containers Berth itself is stopping say nothing about the rollout's health.
                List<ObservedContainer> staying = observed.of(s.name()).stream()
                        .filter(c -> !leaving.contains(c.id()) && !removals.isLeaving(c.id())).toList();
                RolloutRecord rec = this.rollouts.decide(manifest, staying, probes, now, pending);
                rollouts.put(s.name(), rec);
                targets.put(s.name(), this.rollouts.target(manifest, rec));
            } catch (StateUnreadable e) {
                // Only this service stops: its containers are left as they run until the file is
                // fixed or removed (state.md); every other service goes on.
                targets.remove(s.name());
                rollouts.remove(s.name());
                resolveErrors.put(s.name(), e.getMessage());
                failures.fail(s.name(), Failures.Kind.RESOLVE, e.getMessage(), now);
                reject(pending.stream().filter(p -> p.command().service().equals(s.name())).toList(), 409,
                        s.name() + " cannot be changed: " + e.getMessage());
            } catch (ResolvePending p) {
                // Left as it runs until its image is here; the pull's end wakes the loop.
                waiting.put(s.name(), p.getMessage());
                state.problem(s.name()).ifPresentOrElse(e -> resolveErrors.put(s.name(), e.getMessage()), () -> {
                    RolloutRecord rec = state.rollout(s.name());
                    if (rec != null) {
                        rollouts.put(s.name(), rec);
                    }
                });
            } catch (ResolveException e) {
                if (e.getCause() instanceof dev.berth.engine.EngineException) {
                    metrics.engineError();
                }
                resolveErrors.put(s.name(), e.getMessage());
                failures.fail(s.name(), Failures.Kind.RESOLVE, e.getMessage(), now);
            }
        }
        Set<String> completed = new HashSet<>();
        Set<String> paused = new HashSet<>();
        for (ResolvedService r : targets.values()) {
            recordCompletions(r, observed);
            completed.addAll(state.completedJobs(r.name()));
            if (rollouts.get(r.name()).paused()) {
                paused.add(r.name());
            }
        }
        Set<String> removing = removals.leaving();
        removing.addAll(leaving);
        Map<String, Integer> restarts = new HashMap<>();
        targets.keySet().forEach(name -> restarts.putAll(state.restarts(name)));
        Plan plan = planner.plan(new PlanInput(engine.project(), desired, targets, observed, probes, removing,
                paused, restarts, completed, failures.retryAt(), backoff, now));
        for (String w : plan.warnings()) {
            if (warned.add(w)) {
                LOG.warn(w);
            }
        }
        // Successors that became ready join before any predecessor is drained below.
        proxyErrors = traffic.route(desired.services(), observed.containers());
        Set<String> dispatched = act(plan, resolveErrors.keySet(), mark);

        health.sync(probeTargets(desired, observed));
        proxyErrors = traffic.reroute();
        proxyErrors.forEach((svc, err) -> {
            if (warned.add("proxy " + svc + " " + err)) {
                LOG.errorf("service=%s proxy: %s", svc, err);
            }
        });
        // An engine error whose retry time passed with nothing failing again is over.
        for (String name : desired.services().keySet()) {
            if (!dispatched.contains(name) && !workers.busy(name)) {
                failures.expire(name, now);
            }
        }
        if (!dispatched.contains(PROJECT_KEY)) {
            failures.expire(PROJECT_KEY, now);
        }
        Set<String> keys = new HashSet<>(desired.services().keySet());
        keys.add(PROJECT_KEY);
        failures.retain(keys);
        workers.retain(keys);
        publish(desired, targets, rollouts, resolveErrors, waiting, observed, load.problems(), plan);
        for (PendingCommand p : pending) {
            p.done().complete(null);
        }
        prune(targets, observed, plan, resolveErrors);
        resolver.pinHistory(desired, observed);
        Instant next = earliest(plan.wakeAt(), failures.retryAt().values());
        return earliest(next, listOfNullable(Routes.nextJoin(desired.services(), observed.containers(),
                health.snapshot(), Instant.now())));
    }

    /** Restart commands: refused while paused or held by a rollback, else a new restart generation. */
    private void applyRestarts(DesiredState desired, List<PendingCommand> pending) {
        for (PendingCommand p : pending) {
            String name = p.command().service();
            if (!desired.services().containsKey(name)) {
                p.done().completeExceptionally(new CommandRejected(404, "no service named '" + name + "'"));
            } else if (p.command() instanceof Command.Restart) {
                String refusal = restartRefusal(name);
                if (refusal != null) {
                    p.done().completeExceptionally(new CommandRejected(409, refusal));
                } else {
                    state.bumpRestartGeneration(name);
                    LOG.infof("service=%s restart requested by %s", name, p.command().who());
                    events.normal(name, null, "RestartRequested", "rolling restart requested by " + p.command().who());
                }
            }
        }
    }

    /** Why {@code name} cannot take a rolling restart now, or null. */
    private String restartRefusal(String name) {
        var broken = state.problem(name);
        if (broken.isPresent()) {
            return name + " cannot be restarted: " + broken.get().getMessage();
        }
        RolloutRecord rec = state.rollout(name);
        if (rec != null && rec.paused()) {
            return name + " is paused; resume or retry it first";
        }
        if (rec != null && rec.state() == RolloutState.ROLLED_BACK) {
            // A restart makes a new revision of the manifest's spec, which would end the hold and
            // roll out what was just rolled back.
            return name + " is held on revision " + rec.targetRevision() + " by a rollback; change its manifest"
                    + " (or retry the manifest's revision) before restarting it";
        }
        return null;
    }

    /**
     * Carries the plan out: project-wide actions (networks, volumes) here, in plan order;
     * removals in the background; each service's creates and starts as one job on its worker,
     * unless that service has work in flight (the next pass plans it again). Answers the keys
     * that got work.
     */
    private Set<String> act(Plan plan, Set<String> failedToResolve, long mark) {
        Map<String, List<Action>> batches = new java.util.LinkedHashMap<>();
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
                dispatched.add(PROJECT_KEY);
                projectFailed |= !run(PROJECT_KEY, a);
            } else {
                batches.computeIfAbsent(service, k -> new ArrayList<>()).add(a);
            }
        }
        if (dispatched.contains(PROJECT_KEY) && !projectFailed) {
            failures.succeeded(PROJECT_KEY, Failures.Kind.ACTION);
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
            return false;
        }
    }

    private void announce(Action a) {
        Integer revision = revisionOf(a);
        String rev = revision == null ? "" : " revision=" + revision;
        LOG.infof("%s%s %s", a.service() == null ? "project" : "service=" + a.service(), rev, a.describe());
        events.normal(a.service(), revision, a.getClass().getSimpleName(), a.describe());
    }

    private List<ProbeTarget> probeTargets(DesiredState desired, ObservedState observed) {
        List<ProbeTarget> out = new ArrayList<>();
        for (ObservedContainer c : observed.containers()) {
            ServiceSpec s = desired.services().get(c.service());
            if (!c.isUp() || s == null || s.isJob() || removals.isLeaving(c.id())) {
                continue; // a leaving replica is out of the proxy already; probing it only makes noise
            }
            // Probe each replica with its own revision's healthcheck (v2 may answer a path v1 lacks).
            HealthCheck hc;
            try {
                hc = state.revision(c.service(), c.specHash()).map(r -> r.resolved().spec().healthcheck())
                        .orElse(s.healthcheck());
            } catch (StateUnreadable e) {
                hc = s.healthcheck();
            }
            Integer port = hc != null && hc.needsPort() ? c.loopbackPorts().get(hc.port()) : null;
            out.add(new ProbeTarget(c.id(), c.service(), c.revision(), hc, port, c.startedAt()));
        }
        return out;
    }

    private String emptyRefusal(LoadResult load, ObservedState observed) {
        if (allowEmpty || !load.desired().services().isEmpty() || !load.desired().heldSources().isEmpty()
                || observed.containers().isEmpty()) {
            return null;
        }
        return "the manifests directory " + loader.dir() + " declares no services (" + load.files()
                + " manifest files) but " + observed.containers().size() + " containers of Berth's exist; refusing "
                + "to remove everything. Set berth.allow-empty=true (BERTH_ALLOW_EMPTY) to allow it";
    }

    private void recordCompletions(ResolvedService r, ObservedState observed) {
        if (!r.spec().isJob()) {
            return;
        }
        for (ObservedContainer c : observed.of(r.name())) {
            if (c.specHash().equals(r.specHash()) && c.state() == ContainerState.EXITED && c.exitCode() == 0) {
                state.markCompleted(r.name(), Planner.jobKey(r.name(), r.specHash(), c.ordinal()));
            }
        }
    }

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

    private void publish(DesiredState desired, Map<String, ResolvedService> targets, Map<String, RolloutRecord> rollouts,
            Map<String, String> resolveErrors, Map<String, String> waiting, ObservedState observed, List<Problem> problems,
            Plan plan) {
        Map<String, ServiceStatus> out = new HashMap<>();
        Map<String, ReplicaHealth> probes = health.snapshot();
        Set<String> leaving = removals.leaving();
        for (ServiceSpec s : desired.services().values()) {
            Failures.Failure current = failures.get(s.name());
            Failures.Failure last = failures.last(s.name());
            ServiceStatus st = StatusView.of(new StatusView.Facts(s, targets.get(s.name()), rollouts.get(s.name()),
                    resolveErrors.get(s.name()), waiting.get(s.name()), proxyErrors.get(s.name()), observed.of(s.name()),
                    probes, leaving, plan.notes().get(s.name()), last == null ? null : last.message(),
                    last == null ? null : last.at(), current == null ? null : current.retryAt(), Instant.now()));
            out.put(s.name(), phases.track(st, Instant.now()));
            metrics.service(s.name(), s.replicas(), st.replicas().ready(), st.replicas().updated(), st.revision(),
                    dev.berth.plan.RolloutMath.minHealthy(s));
        }
        phases.retain(desired.services().keySet());
        metrics.retain(desired.services().keySet());
        Failures.Failure project = failures.get(PROJECT_KEY);
        board.publish(out, problems, null, true, project == null ? null : project.message());
    }

    /** Keeps the rendered files of running containers and of every revision kept in history. */
    private void prune(Map<String, ResolvedService> targets, ObservedState observed, Plan plan, Map<String, String> errors) {
        if (plan.isEmpty() && errors.isEmpty()) {
            return;
        }
        Set<String> keep = new HashSet<>();
        targets.values().forEach(r -> keep.add(r.name() + "/" + r.specHash()));
        observed.containers().forEach(c -> keep.add(c.service() + "/" + c.specHash()));
        for (String service : targets.keySet()) {
            state.revisions(service).forEach(r -> keep.add(service + "/" + r.specHash()));
        }
        resolver.prune(keep);
    }

    private static void reject(List<PendingCommand> pending, int status, String why) {
        pending.forEach(p -> p.done().completeExceptionally(new CommandRejected(status, why)));
    }

    /** One Warning event per newly rejected manifest problem. */
    private void reportProblems(List<Problem> problems) {
        Set<String> now = new HashSet<>();
        for (Problem p : problems) {
            String text = p.toString();
            now.add(text);
            if (!lastProblems.contains(text)) {
                events.warning(null, null, "ManifestRejected", text);
            }
        }
        lastProblems = now;
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

    private static List<Instant> listOfNullable(Instant i) {
        return i == null ? List.of() : List.of(i);
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
        workers.close();
        pulls.close();
        removals.close();
    }
}
