package dev.berth.reconcile;

import dev.berth.desired.DesiredState;
import dev.berth.desired.ResolvedService;
import dev.berth.desired.ServiceSpec;
import dev.berth.engine.EngineException;
import dev.berth.metrics.BerthMetrics;
import dev.berth.observed.ObservedContainer;
import dev.berth.observed.ObservedState;
import dev.berth.observed.ReplicaHealth;
import dev.berth.resolve.Resolution;
import dev.berth.resolve.ResolveException;
import dev.berth.resolve.ResolveInputs;
import dev.berth.resolve.ResolvePending;
import dev.berth.resolve.Resolver;
import dev.berth.rollout.RolloutRecord;
import dev.berth.state.StateStore;
import dev.berth.state.StateUnreadable;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pass's resolve step: resolves every declared service, decides its rollout
 * ({@link RolloutSteps}) and names the revision it converges to. A service that cannot be
 * resolved is reported and left out of the targets, so the planner leaves its containers as they
 * run; no service holds back another. Runs on the planning thread only.
 */
final class ResolveStep {
    /**
     * What the step found, by service name. A service is in at most one of {@code targets} and
     * {@code errors}. One in {@code waiting} (its image is being pulled) is not in {@code targets}
     * and keeps its stored rollout record in {@code rollouts} for status.
     */
    record Resolved(Map<String, ResolvedService> targets, Map<String, RolloutRecord> rollouts,
            Map<String, String> errors, Map<String, String> waiting) {}

    private final Resolver resolver;
    private final StateStore state;
    private final RolloutSteps rollouts;
    private final Failures failures;
    private final Removals removals;
    private final BerthMetrics metrics;

    ResolveStep(Resolver resolver, StateStore state, RolloutSteps rollouts, Failures failures, Removals removals,
            BerthMetrics metrics) {
        this.resolver = resolver;
        this.state = state;
        this.rollouts = rollouts;
        this.failures = failures;
        this.removals = removals;
        this.metrics = metrics;
    }

    /**
     * @param leaving containers Berth was removing when the pass began observing
     * @param pending operator commands of this pass: rollout commands are applied here; those of a
     *                service whose state file cannot be read are refused (409)
     */
    Resolved resolveAll(DesiredState desired, ObservedState observed, Set<String> leaving,
            Map<String, ReplicaHealth> probes, Instant now, List<PendingCommand> pending) {
        Map<String, ResolvedService> targets = new HashMap<>();
        Map<String, RolloutRecord> records = new HashMap<>();
        Map<String, String> errors = new HashMap<>();
        Map<String, String> waiting = new HashMap<>();
        resolver.beginPass(desired.services().keySet());
        for (ServiceSpec s : desired.services().values()) {
            if (failures.backingOff(s.name(), Failures.Kind.RESOLVE, now)) {
                // A failed pull or missing file is retried on the backoff schedule, not every pass.
                errors.put(s.name(), failures.get(s.name()).message());
                continue;
            }
            try {
                state.problem(s.name()).ifPresent(e -> {
                    throw e;
                });
                ResolvedService manifest = resolve(s, observed.of(s.name()));
                failures.succeeded(s.name(), Failures.Kind.RESOLVE);
                // Containers Berth itself is stopping say nothing about the rollout's health.
                List<ObservedContainer> staying = observed.of(s.name()).stream()
                        .filter(c -> !leaving.contains(c.id()) && !removals.isLeaving(c.id())).toList();
                RolloutRecord rec = rollouts.decide(manifest, staying, probes, now, pending);
                records.put(s.name(), rec);
                targets.put(s.name(), rollouts.target(manifest, rec));
            } catch (StateUnreadable e) {
                // Only this service stops: its containers are left as they run until the file is
                // fixed or removed (state.md); every other service goes on.
                targets.remove(s.name());
                records.remove(s.name());
                errors.put(s.name(), e.getMessage());
                failures.fail(s.name(), Failures.Kind.RESOLVE, e.getMessage(), now);
                PendingCommand.reject(pending.stream().filter(p -> p.command().service().equals(s.name())).toList(), 409,
                        s.name() + " cannot be changed: " + e.getMessage());
            } catch (ResolvePending p) {
                // Left as it runs until its image is here; the pull's end wakes the loop.
                waiting.put(s.name(), p.getMessage());
                state.problem(s.name()).ifPresentOrElse(e -> errors.put(s.name(), e.getMessage()), () -> {
                    RolloutRecord rec = state.rollout(s.name());
                    if (rec != null) {
                        records.put(s.name(), rec);
                    }
                });
            } catch (ResolveException e) {
                if (e.getCause() instanceof EngineException) {
                    metrics.engineError();
                }
                errors.put(s.name(), e.getMessage());
                failures.fail(s.name(), Failures.Kind.RESOLVE, e.getMessage(), now);
            }
        }
        return new Resolved(targets, records, errors, waiting);
    }

    /**
     * Resolves the manifest's spec with what the resolver needs from the store, then numbers the
     * revision from the history: the number already given to its hash, else the one a running
     * container carries (adoption after a lost state directory), else the next free one.
     */
    private ResolvedService resolve(ServiceSpec s, List<ObservedContainer> containers) throws ResolveException {
        Resolution r = resolver.resolve(s, new ResolveInputs(state.salt(), state.restartGeneration(s.name())));
        Map<String, Integer> seen = new HashMap<>();
        containers.forEach(c -> seen.merge(c.specHash(), c.revision(), Math::max));
        return r.numbered(state.revisionFor(s.name(), r.specHash(), seen));
    }
}
