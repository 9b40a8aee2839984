package dev.berth.plan;

import dev.berth.desired.BackoffPolicy;
import dev.berth.desired.Dependency;
import dev.berth.desired.DesiredState;
import dev.berth.desired.NetworkSpec;
import dev.berth.desired.RestartPolicy;
import dev.berth.desired.ServiceSpec;
import dev.berth.desired.VolumeSpec;
import dev.berth.observed.Availability;
import dev.berth.observed.ContainerState;
import dev.berth.observed.ObservedContainer;
import dev.berth.observed.ObservedNetwork;
import dev.berth.observed.ObservedVolume;
import dev.berth.observed.ReplicaHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import dev.berth.desired.Names;
import dev.berth.desired.ResolvedService;

/**
 * Decides what to do next: a pure function of {@link PlanInput}. Order of the plan: networks and
 * volumes first, then removals (old revisions, orphans, surplus replicas), then creates and
 * starts in dependency order, then removal of networks nobody declares any more. A new revision
 * rolls out in steps, one per pass, within the service's surge and unavailability bounds.
 */
public final class Planner {

    /** Crash restarts are counted per replica of one revision: a new revision starts at zero. */
    public static String replicaKey(String service, String specHash, int ordinal) {
        return service + "/" + specHash + "/" + ordinal;
    }

    public static String jobKey(String service, String specHash, int ordinal) {
        return service + "/" + specHash + "/" + ordinal;
    }

    public Plan plan(PlanInput in) {
        List<Action> infra = new ArrayList<>();
        List<Action> removals = new ArrayList<>();
        List<Action> creates = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Map<String, ServiceNote> notes = new TreeMap<>();
        Instant[] wake = {null};

        Set<String> neededNetworks = neededNetworks(in.desired());
        for (String n : neededNetworks) {
            ObservedNetwork o = in.observed().networks().get(n);
            if (o == null) {
                NetworkSpec spec = in.desired().networks().getOrDefault(n,
                        new NetworkSpec(n, null, "bridge", false, Map.of()));
                infra.add(new Action.CreateNetwork(spec));
            } else if (!o.managed()) {
                warnings.add("network " + o.name() + " exists but was not created by Berth; it is used as it is");
            }
        }
        for (VolumeSpec v : in.desired().volumes().values()) {
            ObservedVolume o = in.observed().volumes().get(v.name());
            if (o == null) {
                infra.add(new Action.CreateVolume(v));
            } else if (!o.managed()) {
                warnings.add("volume " + o.name() + " exists but was not created by Berth; it is used as it is");
            }
        }

        in.desired().services().values().stream().filter(s -> !s.placement().isEmpty()).map(ServiceSpec::name).sorted()
                .forEach(name -> warnings.add("service " + name + ": placement is for a Docker Swarm cluster; "
                        + "on one host it is ignored"));

        for (ObservedContainer c : in.observed().containers()) {
            if (!in.desired().services().containsKey(c.service()) && !in.desired().holds(c.source())) {
                if (!in.terminating().contains(c.id())) {
                    // The container's own stop timeout (set from stopGracePeriod at creation) applies.
                    removals.add(new Action.RemoveContainer(c, null, Duration.ofSeconds(10), "service no longer declared"));
                }
            }
        }

        for (String name : dependencyOrder(in.desired().services())) {
            ResolvedService target = in.targets().get(name);
            if (target == null) {
                continue;
            }
            ServicePlan sp = new ServicePlan(in, target);
            sp.plan(removals, creates);
            notes.put(name, sp.note());
            if (sp.wakeAt != null && (wake[0] == null || sp.wakeAt.isBefore(wake[0]))) {
                wake[0] = sp.wakeAt;
            }
        }

        List<Action> late = new ArrayList<>();
        for (ObservedNetwork o : in.observed().networks().values()) {
            if (o.managed() && o.containers() == 0 && !neededNetworks.contains(o.logicalName())
                    && !usedByKept(in, o.logicalName())) {
                late.add(new Action.RemoveNetwork(o.logicalName(), o.id()));
            }
        }
        List<Action> all = new ArrayList<>(infra);
        all.addAll(removals);
        all.addAll(creates);
        all.addAll(late);
        return new Plan(all, notes, warnings, wake[0]);
    }

    private static boolean usedByKept(PlanInput in, String network) {
        return in.observed().containers().stream().anyMatch(c -> c.networks().contains(network));
    }

    static Set<String> neededNetworks(DesiredState d) {
        Set<String> out = new TreeSet<>(d.networks().keySet());
        for (ServiceSpec s : d.services().values()) {
            if (s.networks().isEmpty()) {
                out.add(DesiredState.DEFAULT_NETWORK);
            }
            out.addAll(s.networks());
        }
        return out;
    }

    /** Services with their dependencies first; ties by name so plans are stable. */
    static List<String> dependencyOrder(Map<String, ServiceSpec> services) {
        List<String> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (String s : new TreeSet<>(services.keySet())) {
            visit(s, services, done, new HashSet<>(), out);
        }
        return out;
    }

    private static void visit(String s, Map<String, ServiceSpec> services, Set<String> done, Set<String> path, List<String> out) {
        if (done.contains(s) || !path.add(s) || !services.containsKey(s)) {
            return;
        }
        for (String d : new TreeSet<>(services.get(s).dependsOn().stream().map(Dependency::service).toList())) {
            visit(d, services, done, path, out);
        }
        done.add(s);
        out.add(s);
    }

    /** The decisions for one service; a helper object so the steps read top to bottom. */
    private static final class ServicePlan {
        private final PlanInput in;
        private final ResolvedService target;
        private final ServiceSpec spec;
        private final BackoffPolicy backoff;
        private Dependency waitingFor;
        private Instant backoffUntil;
        private String replacement;
        private int restarts;
        private int completed;
        private int failed;
        Instant wakeAt;

        ServicePlan(PlanInput in, ResolvedService target) {
            this.in = in;
            this.target = target;
            this.spec = target.spec();
            this.backoff = spec.restartBackoff() != null ? spec.restartBackoff() : in.backoff();
        }

        ServiceNote note() {
            return new ServiceNote(waitingFor, backoffUntil, restarts, completed, failed, replacement);
        }

        /**
         * One rolling step (Kubernetes' rolling.go): retire what is broken or surplus, create new
         * replicas while those not leaving stay within replicas + surge, and retire available old ones
         * only while at least replicas − unavailable stay available.
         */
        void plan(List<Action> removals, List<Action> creates) {
            int r = spec.replicas();
            RolloutMath math = RolloutMath.of(spec);
            List<ObservedContainer> all = in.observed().of(spec.name());
            int terminating = (int) all.stream().filter(c -> in.terminating().contains(c.id())).count();
            List<ObservedContainer> live = all.stream().filter(c -> !in.terminating().contains(c.id())).toList();
            List<ObservedContainer> old = new ArrayList<>(live.stream().filter(c -> !c.specHash().equals(target.specHash())).toList());
            List<ObservedContainer> current = new ArrayList<>(live.stream().filter(c -> c.specHash().equals(target.specHash())).toList());
            boolean paused = in.paused().contains(spec.name());

            Instant retry = in.retryAt().get(spec.name());
            boolean blocked = retry != null && in.now().isBefore(retry);
            if (blocked) {
                wake(retry);
            }
            waitingFor = unmetDependency();

            // 1. Hygiene of the target revision: surplus, drift, duplicates, crashes.
            int removalsBefore = removals.size();
            Map<Integer, List<ObservedContainer>> incarnations = new TreeMap<>();
            for (ObservedContainer c : current) {
                String why = c.ordinal() > r || c.ordinal() < 1 ? "scaled down to " + r : drift(c, c.ordinal());
                if (why != null) {
                    removals.add(new Action.RemoveContainer(c, spec.stopGracePeriod(), spec.update().drain(), why));
                } else {
                    incarnations.computeIfAbsent(c.ordinal(), k -> new ArrayList<>()).add(c);
                }
            }
            Map<Integer, ObservedContainer> byOrdinal = new TreeMap<>();
            for (var e : incarnations.entrySet()) {
                Incarnations.Settled s = Incarnations.settle(e.getKey(), e.getValue(), in.health(),
                        spec.update().minReady(), in.now());
                for (Incarnations.Removal x : s.removals()) {
                    removals.add(new Action.RemoveContainer(x.container(), spec.stopGracePeriod(), spec.update().drain(),
                            x.reason()));
                }
                ObservedContainer predecessor = s.unhealthyPredecessor(in.health());
                if (predecessor != null) {
                    replacement = "replacing unhealthy " + predecessor.name() + " with " + s.keeper().name();
                }
                byOrdinal.put(e.getKey(), s.keeper());
            }
            for (ObservedContainer c : byOrdinal.values()) {
                if (c.isUp() || c.state() == ContainerState.PAUSED || c.state() == ContainerState.REMOVING) {
                    continue;
                }
                if (c.state() == ContainerState.CREATED) {
                    if (!blocked && waitingFor == null) {
                        creates.add(new Action.StartContainer(c, 0, "created but never started"));
                    }
                    continue;
                }
                exited(c, c.ordinal(), blocked, creates);
            }

            int hygiene = removals.size();

            // 3 (decided before 2, so that what leaves now makes room at once). Retire old
            // revisions without going below replicas − unavailable available.
            if (!paused) {
                retireOld(old, byOrdinal, math, removals);
            }

            // 2. Scale up the target revision within replicas + surge. A replica that is leaving
            // (out of the proxy, draining or stopping, or retired by this very plan) does not
            // count against a surge, as terminating pods do not in Kubernetes: the next new
            // replica starts while the old one stops. Without a surge (stop-first, host ports,
            // jobs) it counts until it is gone: that order exists so that old and new never run
            // side by side.
            int leavingNow = removals.size() - removalsBefore;
            int total = math.surge() > 0 ? live.size() - leavingNow : live.size() + terminating;
            int room = math.maxTotal(r) - total;
            boolean missing = false;
            for (int ordinal = 1; ordinal <= r; ordinal++) {
                if (byOrdinal.containsKey(ordinal)) {
                    continue;
                }
                if (spec.isJob() && in.completedJobs().contains(jobKey(spec.name(), target.specHash(), ordinal))) {
                    completed++;
                    continue;
                }
                missing = true;
                if (paused || blocked || waitingFor != null || room <= 0) {
                    continue;
                }
                creates.add(new Action.CreateContainer(target, ordinal, old.isEmpty() ? "missing" : "rolling out revision "
                        + target.revision()));
                room--;
            }

            // 2b. Replace what stayed unhealthy, one replica at a time, with backoff.
            boolean settling = blocked || missing || terminating > 0 || hygiene > removalsBefore
                    || byOrdinal.values().stream().anyMatch(this::comingUp);
            // The replica due first goes first: in ordinal order, a replacement that turned
            // unhealthy again could be due again before the next pass and starve the others.
            List<ObservedContainer> byDue = new ArrayList<>(byOrdinal.values());
            byDue.sort(Comparator.comparing((ObservedContainer c) -> {
                Due d = replacementDue(c);
                return d == null ? Instant.MAX : d.at();
            }).thenComparingInt(ObservedContainer::ordinal));
            for (ObservedContainer c : byDue) {
                if (replaceUnhealthy(c, room, math, settling, removals, creates)) {
                    break;
                }
            }

            if (paused) {
                // A paused rollout freezes the mix of revisions, not their care: an old replica
                // that crashes is started again, as its ReplicaSet would in Kubernetes.
                for (ObservedContainer c : old) {
                    if (c.state() == ContainerState.EXITED) {
                        exited(c, c.ordinal(), blocked, creates);
                    }
                }
            }
        }

        private void retireOld(List<ObservedContainer> old, Map<Integer, ObservedContainer> byOrdinal, RolloutMath math,
                List<Action> removals) {
            if (old.isEmpty()) {
                return;
            }
            int r = spec.replicas();
            int available = (int) byOrdinal.values().stream().filter(this::available).count()
                    + (int) old.stream().filter(this::available).count();
            int canRetire = available - math.minAvailable(r);
            old.sort(Comparator.comparingInt(ObservedContainer::revision).thenComparing(ObservedContainer::ordinal,
                    Comparator.reverseOrder()));
            for (ObservedContainer c : old) {
                String why = "revision " + c.revision() + " replaced by revision " + target.revision();
                if (broken(c)) {
                    removals.add(new Action.RemoveContainer(c, spec.stopGracePeriod(), Duration.ZERO, why + " (not serving)"));
                } else if (!available(c)) {
                    // Still starting (e.g. probes not yet run after a daemon restart): its probes
                    // decide; removing it now could leave fewer replicas than minAvailable soon after.
                    continue;
                } else if (canRetire > 0) {
                    removals.add(new Action.RemoveContainer(c, spec.stopGracePeriod(), spec.update().drain(), why));
                    canRetire--;
                }
            }
        }

        /** Running but not yet available: starting, or ready for less than minReady. */
        private boolean comingUp(ObservedContainer c) {
            int rank = Incarnations.rank(c, in.health(), spec.update().minReady(), in.now());
            return rank == Incarnations.STARTING || rank == Incarnations.READY;
        }

        /** Exited, dead or failing its probes: serves nothing, so it may go without counting. */
        private boolean broken(ObservedContainer c) {
            ReplicaHealth h = in.health().get(c.id());
            return !c.isUp() || h != null && h.state() == ReplicaHealth.State.UNHEALTHY;
        }

        private boolean available(ObservedContainer c) {
            return Availability.available(c, in.health(), spec.update().minReady(), in.now());
        }

        private void exited(ObservedContainer c, int ordinal, boolean blocked, List<Action> creates) {
            if (spec.isJob() && c.exitCode() == 0) {
                completed++;
                return;
            }
            if (spec.restart() == RestartPolicy.NO) {
                failed++;
                return;
            }
            String notACrash = notACrash(c);
            if (notACrash != null) {
                // Not the replica's failure: no crash backoff, and the crash count stays as it was.
                if (!blocked) {
                    creates.add(new Action.StartContainer(c, 0, notACrash + ", not a crash"));
                }
                return;
            }
            String key = replicaKey(spec.name(), c.specHash(), ordinal);
            int count = in.restarts().getOrDefault(key, 0);
            if (c.startedAt() != null && c.finishedAt() != null
                    && Duration.between(c.startedAt(), c.finishedAt()).compareTo(backoff.reset()) >= 0) {
                count = 0;
            }
            int next = count + 1;
            restarts = Math.max(restarts, count);
            Instant base = c.finishedAt() == null ? in.now() : c.finishedAt();
            Instant notBefore = base.plus(backoff.delay(next));
            if (in.now().isBefore(notBefore)) {
                backoffUntil = backoffUntil == null || notBefore.isBefore(backoffUntil) ? notBefore : backoffUntil;
                wake(notBefore);
                return;
            }
            if (!blocked) {
                creates.add(new Action.StartContainer(c, next, "exited with code " + c.exitCode() + ", restart " + next));
            }
        }

        /**
         * Why an exited replica is down through no fault of its own, or null for a crash: someone
         * else stopped it, or the engine refused to start it again (that refusal gave the service
         * its engine-error backoff already, {@code in.retryAt}).
         */
        private String notACrash(ObservedContainer c) {
            if (in.stoppedByOthers().contains(c.id())) {
                return "stopped by someone else";
            }
            if (c.startRefusedAfterRun()) {
                return "the engine refused to start it again (" + c.startError() + ")";
            }
            return null;
        }

        /** Why a container of the target revision must be replaced, or null. */
        private String drift(ObservedContainer c, int ordinal) {
            if (c.state() == ContainerState.DEAD) {
                return "is dead";
            }
            String given = c.givenName() != null ? c.givenName()
                    : Names.replica(in.project(), spec.name(), target.revision(), ordinal);
            if (!c.name().equals(given)) {
                return "was renamed to " + c.name();
            }
            if (c.imageId() != null && !c.imageId().equals(target.imageId())) {
                return "runs another image";
            }
            if (c.memoryBytes() != spec.resources().memoryBytes() || c.nanoCpus() != spec.resources().nanoCpus()) {
                return "had its resources changed by hand";
            }
            if (c.isUp()) {
                Set<String> want = new HashSet<>(spec.joinedNetworks());
                if (!c.networks().containsAll(want)) {
                    return "was disconnected from a network";
                }
            }
            return null;
        }

        /**
         * Start-first replacement of a replica that stayed unhealthy: its successor is created
         * (within the surge) and the unhealthy one goes only once the successor is available
         * ({@link Incarnations}). Docker never restarts an unhealthy container, so Berth does, on
         * the crash-loop schedule: replacement n waits the grace (retries × interval) plus the
         * backoff's delay(n) after the replica turned unhealthy, and counts in the same restart
         * counter. A replica that ran for the backoff's reset period before it turned unhealthy
         * starts afresh. With no surge allowed (stop-first, host ports) the unhealthy one is
         * removed first; it serves nothing, so no ready replica is lost either way.
         *
         * @param settling the service is still moving (a replacement in flight, a replica missing,
         *                 starting or terminating, or engine errors): wait, one replica at a time
         * @return whether a replacement began
         */
        private boolean replaceUnhealthy(ObservedContainer c, int room, RolloutMath math, boolean settling,
                List<Action> removals, List<Action> creates) {
            Due d = replacementDue(c);
            if (d == null) {
                return false;
            }
            ReplicaHealth h = in.health().get(c.id());
            int next = d.next();
            restarts = Math.max(restarts, next - 1);
            Instant due = d.at();
            String why = c.name() + ", which stayed unhealthy (" + h.lastError() + ")";
            if (in.now().isBefore(due)) {
                wake(due);
                if (next > 1) {
                    backoffUntil = backoffUntil == null || due.isBefore(backoffUntil) ? due : backoffUntil;
                    replacement = c.name() + " stayed unhealthy (" + h.lastError() + "): replacement " + next + " at " + due;
                }
                return false;
            }
            if (settling || waitingFor != null) {
                return false;
            }
            if (room > 0) {
                creates.add(new Action.CreateContainer(target, c.ordinal(), next, "replacing " + why + "; replacement " + next));
            } else if (math.surge() == 0) {
                removals.add(new Action.RemoveContainer(c, spec.stopGracePeriod(), spec.update().drain(), next,
                        "stayed unhealthy (" + h.lastError() + "); stop-first replacement " + next));
            } else {
                return false; // the surge is taken by a rollout: its own step replaces the replica
            }
            replacement = "replacing " + why;
            return true;
        }

        /** When an unhealthy replica is due for replacement, and that replacement's number. */
        private record Due(Instant at, int next) {}

        /** Null when {@code c} is not an unhealthy replica of a probed, long-running service. */
        private Due replacementDue(ObservedContainer c) {
            ReplicaHealth h = in.health().get(c.id());
            if (!c.isUp() || h == null || h.state() != ReplicaHealth.State.UNHEALTHY || spec.healthcheck() == null
                    || spec.isJob()) {
                return null;
            }
            int count = in.restarts().getOrDefault(replicaKey(spec.name(), c.specHash(), c.ordinal()), 0);
            if (c.startedAt() != null && Duration.between(c.startedAt(), h.unhealthySince()).compareTo(backoff.reset()) >= 0) {
                count = 0;
            }
            Duration grace = spec.healthcheck().interval().multipliedBy(spec.healthcheck().retries());
            return new Due(h.unhealthySince().plus(grace).plus(backoff.delay(count + 1)), count + 1);
        }

        /** The first dependency whose condition is not met, judged on its current revision only. */
        private Dependency unmetDependency() {
            for (Dependency dep : spec.dependsOn()) {
                ResolvedService d = in.targets().get(dep.service());
                if (d == null || !met(dep.condition(), d)) {
                    return dep;
                }
            }
            return null;
        }

        private boolean met(Dependency.Condition condition, ResolvedService d) {
            List<ObservedContainer> current = in.observed().of(d.name()).stream()
                    .filter(c -> c.specHash().equals(d.specHash())).toList();
            return switch (condition) {
                case STARTED -> current.stream().anyMatch(c -> c.isUp() || c.state() == ContainerState.EXITED && c.exitCode() == 0)
                        || d.spec().isJob() && in.completedJobs().contains(jobKey(d.name(), d.specHash(), 1));
                case HEALTHY -> current.stream().anyMatch(c -> Availability.available(c, in.health(), Duration.ZERO, in.now()));
                case COMPLETED -> d.spec().isJob() && d.spec().replicas() > 0 && java.util.stream.IntStream
                        .rangeClosed(1, d.spec().replicas())
                        .allMatch(i -> in.completedJobs().contains(jobKey(d.name(), d.specHash(), i)));
            };
        }

        private void wake(Instant t) {
            if (wakeAt == null || t.isBefore(wakeAt)) {
                wakeAt = t;
            }
        }
    }

    /** Convenience for callers that do not track restarts. */
    public static Map<String, Integer> noRestarts() {
        return new HashMap<>();
    }
}
