package dev.berth.plan;

import dev.berth.desired.DesiredState;
import dev.berth.desired.NetworkSpec;
import dev.berth.desired.RestartPolicy;
import dev.berth.desired.ServiceSpec;
import dev.berth.desired.VolumeSpec;
import dev.berth.observed.ContainerState;
import dev.berth.observed.ObservedContainer;
import dev.berth.observed.ObservedNetwork;
import dev.berth.observed.ObservedVolume;
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

/**
 * Decides what to do next: a pure function of {@link PlanInput}. Order of the plan: networks and
 * volumes first, then removals (old revisions, orphans, surplus replicas), then creates and
 * starts in dependency order, then removal of networks nobody declares any more.
 */
public final class Planner {
    private final ReplacementStrategy replacement;

    public Planner(ReplacementStrategy replacement) {
        this.replacement = replacement;
    }

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

        for (ObservedContainer c : in.observed().containers()) {
            if (!in.desired().services().containsKey(c.service()) && !in.desired().heldSources().contains(c.source())) {
                // The container's own stop timeout (set from stopGracePeriod at creation) applies.
                removals.add(new Action.RemoveContainer(c, null, "service no longer declared"));
            }
        }

        for (String name : dependencyOrder(in.desired().services())) {
            ResolvedService target = in.resolved().get(name);
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
        for (String d : new TreeSet<>(services.get(s).dependsOn())) {
            visit(d, services, done, path, out);
        }
        done.add(s);
        out.add(s);
    }

    /** The decisions for one service; a helper object so the steps read top to bottom. */
    private final class ServicePlan {
        private final PlanInput in;
        private final ResolvedService target;
        private final ServiceSpec spec;
        private String waitingFor;
        private Instant backoffUntil;
        private int restarts;
        private int completed;
        private int failed;
        Instant wakeAt;

        ServicePlan(PlanInput in, ResolvedService target) {
            this.in = in;
            this.target = target;
            this.spec = target.spec();
        }

        ServiceNote note() {
            return new ServiceNote(waitingFor, backoffUntil, restarts, completed, failed);
        }

        void plan(List<Action> removals, List<Action> creates) {
            List<ObservedContainer> mine = in.observed().of(spec.name());
            List<ObservedContainer> old = mine.stream().filter(c -> !c.specHash().equals(target.specHash())).toList();
            boolean mayCreate = true;
            if (!old.isEmpty()) {
                ReplacementStrategy.Step step = replacement.replace(target, old);
                removals.addAll(step.actions());
                mayCreate = step.createNew();
            }
            Map<Integer, ObservedContainer> byOrdinal = new LinkedHashMap<>();
            List<ObservedContainer> current = new ArrayList<>(mine.stream()
                    .filter(c -> c.specHash().equals(target.specHash())).toList());
            // A running duplicate wins over a stopped one of the same ordinal.
            current.sort(Comparator.comparing((ObservedContainer c) -> !c.state().isUp()).thenComparing(ObservedContainer::id));
            for (ObservedContainer c : current) {
                if (c.ordinal() > spec.replicas()) {
                    removals.add(new Action.RemoveContainer(c, spec.stopGracePeriod(), "scaled down to " + spec.replicas()));
                } else if (byOrdinal.putIfAbsent(c.ordinal(), c) != null) {
                    removals.add(new Action.RemoveContainer(c, spec.stopGracePeriod(), "duplicate of replica " + c.ordinal()));
                }
            }
            Instant retry = in.retryAt().get(spec.name());
            boolean blocked = retry != null && in.now().isBefore(retry);
            if (blocked) {
                wake(retry);
            }
            waitingFor = unmetDependency();
            for (int ordinal = 1; ordinal <= spec.replicas(); ordinal++) {
                ObservedContainer c = byOrdinal.get(ordinal);
                if (c == null) {
                    if (spec.isJob() && in.completedJobs().contains(jobKey(spec.name(), target.specHash(), ordinal))) {
                        completed++;
                    } else if (mayCreate && !blocked && waitingFor == null) {
                        creates.add(new Action.CreateContainer(target, ordinal, "missing"));
                    }
                    continue;
                }
                String drift = drift(c, ordinal);
                if (drift != null) {
                    removals.add(new Action.RemoveContainer(c, spec.stopGracePeriod(), drift));
                    if (!blocked && waitingFor == null) {
                        creates.add(new Action.CreateContainer(target, ordinal, "replacing a container that " + drift));
                    }
                    continue;
                }
                if (c.state().isUp() || c.state() == ContainerState.PAUSED || c.state() == ContainerState.REMOVING) {
                    continue;
                }
                if (c.state() == ContainerState.CREATED) {
                    if (!blocked && waitingFor == null) {
                        creates.add(new Action.StartContainer(c, 0, "created but never started"));
                    }
                    continue;
                }
                exited(c, ordinal, blocked, creates);
            }
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
            String key = replicaKey(spec.name(), target.specHash(), ordinal);
            int count = in.restarts().getOrDefault(key, 0);
            if (c.startedAt() != null && c.finishedAt() != null
                    && Duration.between(c.startedAt(), c.finishedAt()).compareTo(in.backoff().reset()) >= 0) {
                count = 0;
            }
            int next = count + 1;
            restarts = Math.max(restarts, count);
            Instant base = c.finishedAt() == null ? in.now() : c.finishedAt();
            Instant notBefore = base.plus(in.backoff().delay(next));
            if (in.now().isBefore(notBefore)) {
                backoffUntil = backoffUntil == null || notBefore.isBefore(backoffUntil) ? notBefore : backoffUntil;
                wake(notBefore);
                return;
            }
            if (!blocked) {
                creates.add(new Action.StartContainer(c, next, "exited with code " + c.exitCode() + ", restart " + next));
            }
        }

        /** Why a container of the current revision no longer matches what Berth created, or null. */
        private String drift(ObservedContainer c, int ordinal) {
            if (c.state() == ContainerState.DEAD) {
                return "is dead";
            }
            if (!c.name().equals(Names.container(in.project(), spec.name(), target.revision(), ordinal))) {
                return "was renamed to " + c.name();
            }
            if (c.imageId() != null && !c.imageId().equals(target.imageId())) {
                return "runs another image";
            }
            if (c.memoryBytes() != spec.resources().memoryBytes() || c.nanoCpus() != spec.resources().nanoCpus()) {
                return "had its resources changed by hand";
            }
            if (c.state().isUp()) {
                Set<String> want = new HashSet<>(spec.networks().isEmpty()
                        ? List.of(DesiredState.DEFAULT_NETWORK) : spec.networks());
                if (!c.networks().containsAll(want)) {
                    return "was disconnected from a network";
                }
            }
            return null;
        }

        private String unmetDependency() {
            for (String dep : spec.dependsOn()) {
                ResolvedService d = in.resolved().get(dep);
                boolean started = d != null && in.observed().of(dep).stream().anyMatch(c -> c.specHash().equals(d.specHash())
                        && (c.state().isUp() || c.state() == ContainerState.EXITED && c.exitCode() == 0));
                boolean jobDone = d != null && d.spec().isJob() && in.completedJobs().contains(jobKey(dep, d.specHash(), 1));
                if (!started && !jobDone) {
                    return dep;
                }
            }
            return null;
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
