package dev.berth.swarm;

import dev.berth.engine.Labels;
import dev.berth.swarm.SwarmView.LiveService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides what the Swarm backend does to each service in a pass: a pure function of what the
 * manifests declare and what the manager has, so table tests cover every case.
 *
 * <ul>
 *   <li>Declared, absent: create it at revision 1.</li>
 *   <li>Same task template as the live one (same {@code spec-hash}): nothing, unless a field
 *       Berth set differs ({@link SpecMatch}): then it is put back, same revision (a hand edit,
 *       or a change to replicas, update settings, ports or labels, which need no new tasks).</li>
 *   <li>Swarm rolled the service back ({@code UpdateStatus} {@code rollback_*}: its failure action,
 *       or an operator's rollback) from the declared template: hands off, until the manifest
 *       changes or the operator asks for a retry. Otherwise Berth would roll forward at once to
 *       what just failed (Swarm's and Kubernetes' rollback holds the same way).</li>
 *   <li>An update Swarm paused on failure ({@code paused}, {@code rollback_paused}) of the declared
 *       template: hands off, the same way.</li>
 *   <li>Another template: update to a new revision, one past the highest Swarm still has.</li>
 *   <li>Live with Berth's labels, not declared, and not held by a manifest with problems: remove.</li>
 * </ul>
 */
public final class SwarmPlanner {
    private SwarmPlanner() {}

    /**
     * @param held    services whose manifests have problems: left as they run, not removed
     * @param retry   services the operator asked to try again despite a rollback or pause
     * @param rollback services the operator asked to roll back to their previous spec
     */
    public static SwarmPlan plan(Map<String, DeclaredService> declared, Set<String> held, Set<String> retry,
            Set<String> rollback, SwarmView view) {
        return plan(declared, held, retry, rollback, view, Set.of(), Set.of());
    }

    /**
     * @param ignored  fields the manager was seen not to keep: not compared
     * @param justSent services whose spec Berth sent in the pass before: a difference found now is
     *                 how the manager stores what it was sent (an older engine drops fields it does
     *                 not know, silently), not a change by hand; its field is learnt
     *                 ({@link SwarmPlan#unkept()}) and not sent again, or every pass would update
     *                 the service for ever
     */
    public static SwarmPlan plan(Map<String, DeclaredService> declared, Set<String> held, Set<String> retry,
            Set<String> rollback, SwarmView view, Set<String> ignored, Set<String> justSent) {
        List<SwarmAction> actions = new ArrayList<>();
        Map<String, String> holds = new TreeMap<>();
        Set<String> unkept = new java.util.TreeSet<>();
        for (DeclaredService d : declared.values()) {
            LiveService l = view.services().get(d.name());
            if (held.contains(d.name())) {
                continue;
            }
            if (l == null) {
                actions.add(new SwarmAction.Create(d.name(), 1, d.at(1)));
                continue;
            }
            if (rollback.contains(d.name())) {
                actions.add(new SwarmAction.Rollback(d.name(), l.id(), l.version(), l.spec()));
                continue;
            }
            boolean sameTemplate = d.hash().equals(l.label(Labels.SPEC_HASH));
            boolean fromDeclared = d.hash().equals(l.previousLabel(Labels.SPEC_HASH));
            Optional<String> hold = hold(l, sameTemplate, fromDeclared);
            if (hold.isPresent() && !retry.contains(d.name())) {
                holds.put(d.name(), hold.get());
                continue;
            }
            if (sameTemplate) {
                int revision = l.revision();
                Set<String> skip = new java.util.HashSet<>(ignored);
                Optional<String> diff = SpecMatch.firstDifference(d.at(revision), l.spec(), skip);
                while (diff.isPresent() && justSent.contains(d.name())) {
                    unkept.add(SpecMatch.field(diff.get()));
                    skip.add(SpecMatch.field(diff.get()));
                    diff = SpecMatch.firstDifference(d.at(revision), l.spec(), skip);
                }
                if (diff.isPresent() || retry.contains(d.name())) {
                    actions.add(new SwarmAction.Update(d.name(), l.id(), l.version(), revision, d.at(revision),
                            diff.map(p -> p + " differs from the manifest").orElse("retry requested")));
                }
                continue;
            }
            int revision = Math.max(l.revision(), l.previousRevision()) + 1;
            actions.add(new SwarmAction.Update(d.name(), l.id(), l.version(), revision, d.at(revision),
                    "new revision (task template changed)"));
        }
        for (LiveService l : view.services().values()) {
            if (!declared.containsKey(l.name()) && !held.contains(l.name())) {
                actions.add(new SwarmAction.Remove(l.name(), l.id()));
            }
        }
        return new SwarmPlan(actions, holds, unkept);
    }

    /** Why Berth keeps its hands off a service Swarm stopped updating, if it does. */
    static Optional<String> hold(LiveService l, boolean sameTemplate, boolean fromDeclared) {
        String s = l.updateState();
        String why = l.updateMessage().isEmpty() ? "" : ": " + l.updateMessage();
        if (s.startsWith("rollback_") && fromDeclared && !sameTemplate) {
            return Optional.of("rolled back from revision " + l.previousRevision() + why
                    + "; holds until the manifest changes or a retry");
        }
        if (("paused".equals(s) && sameTemplate) || ("rollback_paused".equals(s) && (sameTemplate || fromDeclared))) {
            return Optional.of("update paused" + why + "; holds until the manifest changes or a retry");
        }
        return Optional.empty();
    }
}
