package dev.berth.swarm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.Labels;
import dev.berth.swarm.SwarmView.LiveService;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides what the Swarm backend does to each service in a pass: a pure function of what the
 * manifests declare and what the manager has, so table tests cover every case.
 *
 * <ul>
 *   <li>Declared, absent: create it at revision 1.</li>
 *   <li>Same task template as the live one (same {@code spec-hash}): nothing, unless a field
 *       Berth set differs ({@link SpecMatch}): then it is put back, same revision (a hand edit,
 *       or a change to replicas, update settings, ports or labels, which need no new tasks).</li>
 *   <li>The operator asked for a rollback: Swarm's own to its previous spec, or an update to a
 *       kept revision's template ({@link SwarmRevisions}), held afterwards like Swarm's.</li>
 *   <li>Swarm is rolling it back: hands off.</li>
 *   <li>Swarm rolled it back: Swarm forgets the spec it rolled back from (its previous spec is
 *       cleared), so Berth writes that template's hash and revision onto the service as labels
 *       ({@code rolled-back-from}); while the manifest still declares that template, the service
 *       is held: rolling forward at once would redo what just failed (Swarm's and Kubernetes'
 *       rollback holds the same way). A changed manifest or the operator's retry ends the hold.</li>
 *   <li>An update or rollback Swarm paused on failure: held the same way.</li>
 *   <li>Another template: update to a new revision, one past any Swarm still has or rolled back from.</li>
 *   <li>Live with Berth's labels, not declared, and not held by a manifest with problems: remove.</li>
 * </ul>
 */
public final class SwarmPlanner {
    private SwarmPlanner() {}

    /** The template Berth last sent a service (what a rollback that follows was a rollback from). */
    public record Sent(String hash, int revision) {}

    /** Without memory of earlier passes (tests of single decisions). */
    public static SwarmPlan plan(Map<String, DeclaredService> declared, Set<String> held, OperatorRequests requests,
            SwarmView view) {
        return plan(declared, held, requests, view, Set.of(), Set.of(), Map.of(), java.time.Instant.now());
    }

    /**
     * @param held     services whose manifests have problems: left as they run, not removed
     * @param requests what operators asked: retry despite a rollback or pause, roll back to Swarm's
     *                 previous spec, restart (weighed after the manifests: a service the pass
     *                 updates, holds or lacks is not restarted, and the request is refused)
     * @param ignored  fields the manager was seen not to keep: not compared
     * @param justSent services whose spec Berth sent in the pass before: a difference found now is
     *                 how the manager stores what it was sent (an older engine drops fields it does
     *                 not know, silently), not a change by hand; its field is learnt
     *                 ({@link SwarmPlan#unkept()}) rather than sent again on every pass for ever
     * @param lastSent per service, the template Berth last sent (in this process's life): what a
     *                 rollback seen now was from; without it, the declared template is assumed
     * @param now      for {@code progressDeadlineSeconds}
     */
    public static SwarmPlan plan(Map<String, DeclaredService> declared, Set<String> held, OperatorRequests requests,
            SwarmView view, Set<String> ignored, Set<String> justSent, Map<String, Sent> lastSent, java.time.Instant now) {
        Set<String> retry = requests.retry();
        Set<String> rollback = requests.rollback();
        List<SwarmAction> actions = new ArrayList<>();
        Map<String, SwarmHold> holds = new TreeMap<>();
        Set<String> unkept = new TreeSet<>();
        for (DeclaredService d : declared.values()) {
            LiveService l = view.services().get(d.name());
            if (held.contains(d.name())) {
                continue;
            }
            if (l == null) {
                Optional<String> waiting = waiting(d, view);
                if (waiting.isPresent()) {
                    holds.put(d.name(), new SwarmHold(SwarmHold.Kind.WAITING, waiting.get()));
                } else {
                    actions.add(new SwarmAction.Create(d.name(), 1, d.at(1)));
                }
                continue;
            }
            if (rollback.contains(d.name())) {
                actions.add(new SwarmAction.Rollback(d.name(), l.id(), l.version(), l.spec()));
                continue;
            }
            KeptTemplate restore = requests.restore().get(d.name());
            if (restore != null) {
                actions.add(new SwarmAction.RollbackTo(d.name(), l.id(), l.version(), restore.revision(),
                        SwarmRevisions.restore(l, d, restore, view.kept(d.name()))));
                continue;
            }
            boolean sameTemplate = d.hash().equals(l.label(Labels.SPEC_HASH));
            boolean retried = retry.contains(d.name());
            if (sameTemplate && l.updatingLongerThan(d.rollbackAfter(), now)) {
                // Swarm waits as long as a task neither turns healthy nor fails; the manifest's deadline does not.
                actions.add(new SwarmAction.Rollback(d.name(), l.id(), l.version(), l.spec()));
                continue;
            }
            if ("rollback_completed".equals(l.updateState()) && l.label(Labels.ROLLED_BACK_FROM).isEmpty()
                    && !sameTemplate && !retried) {
                Sent from = lastSent.getOrDefault(d.name(), new Sent(d.hash(), revisionFor(d, l, view.kept(d.name()))));
                actions.add(new SwarmAction.MarkRolledBack(d.name(), l.id(), l.version(), marked(l, from)));
                holds.put(d.name(), rolledBack(l, from.revision()));
                continue;
            }
            Optional<SwarmHold> hold = hold(l, d, sameTemplate);
            if (hold.isPresent() && !retried) {
                holds.put(d.name(), hold.get());
                continue;
            }
            if (sameTemplate) {
                int revision = l.revision();
                Set<String> skip = new HashSet<>(ignored);
                Optional<String> diff = SpecMatch.firstDifference(d.at(revision), l.spec(), skip);
                while (diff.isPresent() && justSent.contains(d.name())) {
                    unkept.add(SpecMatch.field(diff.get()));
                    skip.add(SpecMatch.field(diff.get()));
                    diff = SpecMatch.firstDifference(d.at(revision), l.spec(), skip);
                }
                if (diff.isPresent() || retried) {
                    actions.add(new SwarmAction.Update(d.name(), l.id(), l.version(), revision, d.at(revision),
                            diff.map(p -> p + " differs from the manifest").orElse("retry requested")));
                }
                continue;
            }
            int revision = revisionFor(d, l, view.kept(d.name()));
            actions.add(new SwarmAction.Update(d.name(), l.id(), l.version(), revision, d.at(revision),
                    "new revision (task template changed)"));
        }
        for (LiveService l : view.services().values()) {
            if (!declared.containsKey(l.name()) && !held.contains(l.name())) {
                actions.add(new SwarmAction.Remove(l.name(), l.id()));
            }
        }
        Map<String, String> refused = new TreeMap<>();
        for (String service : new TreeSet<>(requests.restart())) {
            DeclaredService d = declared.get(service);
            LiveService l = view.services().get(service);
            String why = d == null ? "held: its manifest has problems"
                    : l == null ? "the Swarm service is not created yet"
                    : holds.containsKey(service) ? "held: " + holds.get(service).reason()
                    : actions.stream().anyMatch(a -> a.service().equals(service)) ? "this pass updates it first"
                    : null;
            if (why == null) {
                actions.add(restart(d, l, view.kept(service)));
            } else {
                refused.put(service, service + " cannot be restarted now: " + why);
            }
        }
        return new SwarmPlan(actions, holds, unkept, refused);
    }

    /**
     * The first {@code dependsOn} condition that does not hold yet, in words: a dependency
     * {@code started} has a running task of its current revision (or, a job, a completed one);
     * {@code healthy}, a running one (Swarm holds a task with a healthcheck in starting until it
     * passes); {@code completed}, every task of the job's revision complete.
     */
    static Optional<String> waiting(DeclaredService d, SwarmView view) {
        for (dev.berth.desired.Dependency dep : d.dependsOn()) {
            LiveService l = view.services().get(dep.service());
            long running = l == null ? 0 : view.serving(l.id(), r -> r == l.revision());
            long complete = 0;
            if (l != null) {
                for (SwarmView.LiveTask t : view.tasks()) {
                    if (t.serviceId().equals(l.id()) && t.revision() == l.revision()) {
                        complete += "complete".equals(t.state()) ? 1 : 0;
                    }
                }
            }
            boolean met = switch (dep.condition()) {
                case STARTED -> running > 0 || complete > 0;
                case HEALTHY -> running > 0;
                case COMPLETED -> l != null && complete >= Math.max(1,
                        l.spec().path("Mode").path("ReplicatedJob").path("TotalCompletions").asLong(1));
            };
            if (!met) {
                return Optional.of("waiting for " + dep.service() + " " + dep.condition().waiting() + " (dependsOn)");
            }
        }
        return Optional.empty();
    }

    /** Why Berth keeps its hands off a service Swarm stopped updating, if it does. */
    static Optional<SwarmHold> hold(LiveService l, DeclaredService d, boolean sameTemplate) {
        String s = l.updateState();
        String why = l.updateMessage().isEmpty() ? "" : ": " + l.updateMessage();
        if ("rollback_started".equals(s)) {
            return Optional.of(new SwarmHold(SwarmHold.Kind.ROLLING_BACK, "Swarm is rolling back" + why));
        }
        if (d.hash().equals(l.label(Labels.ROLLED_BACK_FROM)) && !sameTemplate) {
            return Optional.of(rolledBack(l, SwarmView.number(l.label(Labels.ROLLED_BACK_REVISION))));
        }
        if (("paused".equals(s) && sameTemplate) || "rollback_paused".equals(s)) {
            return Optional.of(new SwarmHold(SwarmHold.Kind.PAUSED, (s.startsWith("rollback") ? "rollback" : "update")
                    + " paused" + why + "; holds until the manifest changes or a retry"));
        }
        return Optional.empty();
    }

    private static SwarmHold rolledBack(LiveService l, int from) {
        return new SwarmHold(SwarmHold.Kind.ROLLED_BACK, "rolled back from revision " + from + " to " + l.revision()
                + "; holds until the manifest changes or a retry");
    }

    /**
     * {@code kubectl rollout restart} on Swarm: the declared spec at a new revision, with Swarm's
     * {@code ForceUpdate} counter one past the live one, so Swarm replaces every task (rolling,
     * as {@code docker service update --force}) although the template is the same. Only for a
     * service the pass otherwise leaves as it is, which runs the declared template.
     */
    private static SwarmAction restart(DeclaredService d, LiveService l, List<KeptTemplate> kept) {
        int revision = nextRevision(l, kept);
        ObjectNode spec = d.at(revision);
        spec.withObject("/TaskTemplate").put("ForceUpdate", l.spec().path("TaskTemplate").path("ForceUpdate").asLong(0) + 1);
        return new SwarmAction.Update(d.name(), l.id(), l.version(), revision, spec, "restart requested");
    }

    /**
     * The revision number of the declared template on a service that does not run it: the number
     * it had when the manifest returns to a template Swarm or Berth still keeps (Swarm's previous
     * spec, a kept template, the template a rollback came from), as on one host; else a new one.
     * A restart's revision shares its template with the one it restarted: the newest number wins.
     */
    static int revisionFor(DeclaredService d, LiveService l, List<KeptTemplate> kept) {
        int known = 0;
        for (KeptTemplate k : kept) {
            if (k.hash().equals(d.hash())) {
                known = Math.max(known, k.revision());
            }
        }
        if (d.hash().equals(l.previousLabel(Labels.SPEC_HASH))) {
            known = Math.max(known, l.previousRevision());
        }
        if (d.hash().equals(l.label(Labels.ROLLED_BACK_FROM))) {
            known = Math.max(known, SwarmView.number(l.label(Labels.ROLLED_BACK_REVISION)));
        }
        return known > 0 ? known : nextRevision(l, kept);
    }

    /**
     * The number of a new revision: one past any Swarm still has (running, previous), a rollback
     * came from, or a kept template carries, so numbers are never used twice for different templates.
     */
    static int nextRevision(LiveService l, List<KeptTemplate> kept) {
        int max = Math.max(Math.max(l.revision(), l.previousRevision()),
                SwarmView.number(l.label(Labels.ROLLED_BACK_REVISION)));
        for (KeptTemplate k : kept) {
            max = Math.max(max, k.revision());
        }
        return max + 1;
    }

    /** The live spec with the template it was rolled back from as labels (service labels: no new tasks). */
    static ObjectNode marked(LiveService l, Sent from) {
        ObjectNode spec = l.spec().deepCopy();
        spec.withObject("/Labels").put(Labels.ROLLED_BACK_FROM, from.hash())
                .put(Labels.ROLLED_BACK_REVISION, Integer.toString(from.revision()));
        return spec;
    }
}
