package dev.berth.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.Labels;
import dev.berth.swarm.SwarmView.LiveService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Revision history on Swarm, beyond the one previous spec Swarm keeps: every template Berth
 * sends is kept as a config object ({@link KeptTemplate}), the last {@code revisionHistoryLimit}
 * of each service, and a REST rollback to a named revision becomes one update to that
 * revision's template. Pure decisions, table-tested; the reconciler makes and removes the objects.
 */
public final class SwarmRevisions {
    private SwarmRevisions() {}

    /** Where an operator's rollback goes. */
    public sealed interface Target {
        /** Swarm's own rollback to the previous spec it keeps (its {@code RollbackConfig} applies). */
        record Previous(int revision) implements Target {}

        /** An update to a kept revision's template. */
        record Kept(KeptTemplate template) implements Target {}

        /** @param status 404: no such revision is kept; 409: not now, or not to that one */
        record Refused(int status, String reason) implements Target {}
    }

    /**
     * The target of {@code POST …/rollback}: without a revision, Swarm's previous spec while it is
     * one (no rollback ran since and the last update changed the template), else the newest kept
     * revision below the running one other than the manifest's template; with a revision N, Swarm's
     * previous spec when it is N, else N's kept template.
     *
     * @param asked the revision named in the request, or null
     */
    public static Target target(LiveService l, DeclaredService d, List<KeptTemplate> kept, Integer asked, SwarmView view) {
        String service = d.name();
        int current = l.revision();
        if (asked != null && asked == current) {
            return new Target.Refused(409, service + " already runs revision " + current);
        }
        // Swarm's previous spec of the same template (a restart's or a repair's) is no rollback.
        boolean previous = l.previous() != null && !l.rolledBack() && l.label(Labels.ROLLED_BACK_FROM).isEmpty()
                && l.previousRevision() > 0 && l.previousRevision() != current
                && !l.previousLabel(Labels.SPEC_HASH).equals(l.label(Labels.SPEC_HASH));
        if (previous && (asked == null || asked == l.previousRevision())) {
            return new Target.Previous(l.previousRevision());
        }
        Optional<KeptTemplate> k;
        if (asked == null) {
            k = kept.stream().filter(t -> t.revision() < current && !t.hash().equals(d.hash())
                    && !t.hash().equals(l.label(Labels.SPEC_HASH))).max(Comparator.comparingInt(KeptTemplate::revision));
            if (k.isEmpty()) {
                return new Target.Refused(409, service + " has no earlier kept revision to roll back to (kept: "
                        + numbers(kept) + ")");
            }
        } else {
            k = kept.stream().filter(t -> t.revision() == asked).findFirst();
            if (k.isEmpty()) {
                return new Target.Refused(404, "revision " + asked + " of " + service + " is not kept (kept: "
                        + numbers(kept) + ")");
            }
        }
        return usable(k.get(), l, d, view);
    }

    private static Target usable(KeptTemplate k, LiveService l, DeclaredService d, SwarmView view) {
        String what = "revision " + k.revision() + " of " + d.name();
        Optional<ObjectNode> spec = k.spec();
        if (spec.isEmpty()) {
            return new Target.Refused(409, what + " cannot be restored: config object " + k.objectName()
                    + " does not hold a service spec");
        }
        if (k.hash().equals(l.label(Labels.SPEC_HASH))) {
            return new Target.Refused(409, d.name() + " already runs the template of revision " + k.revision()
                    + " (as revision " + l.revision() + ")");
        }
        if (k.hash().equals(d.hash())) {
            return new Target.Refused(409, what + " has the manifest's own template: ask for a retry instead");
        }
        Optional<String> missing = missing(spec.get(), view);
        if (missing.isPresent()) {
            return new Target.Refused(409, what + " cannot be restored: it uses " + missing.get()
                    + ", which no longer exists");
        }
        return new Target.Kept(k);
    }

    /** A network, secret or config object the template refers to that the Swarm no longer has. */
    static Optional<String> missing(JsonNode spec, SwarmView view) {
        JsonNode task = spec.path("TaskTemplate");
        Set<String> networks = new HashSet<>();
        view.networks().values().forEach(n -> {
            networks.add(n.id());
            networks.add(n.name());
        });
        for (JsonNode n : task.path("Networks")) {
            if (!networks.contains(n.path("Target").asText())) {
                return Optional.of("network " + n.path("Target").asText());
            }
        }
        for (JsonNode s : task.path("ContainerSpec").path("Secrets")) {
            if (!view.secrets().containsKey(s.path("SecretName").asText())) {
                return Optional.of("secret " + s.path("SecretName").asText());
            }
        }
        for (JsonNode c : task.path("ContainerSpec").path("Configs")) {
            if (!view.configs().containsKey(c.path("ConfigName").asText())) {
                return Optional.of("config " + c.path("ConfigName").asText());
            }
        }
        return Optional.empty();
    }

    /**
     * The spec of a rollback to a kept revision: the manifest's service settings (replicas, update
     * settings, ports, labels) with the kept revision's task template and number, marked as rolled
     * back from the manifest's template, so {@link SwarmPlanner} holds it as after Swarm's own rollback.
     */
    public static ObjectNode restore(LiveService l, DeclaredService d, KeptTemplate k, List<KeptTemplate> kept) {
        ObjectNode was = k.spec().orElseThrow(() -> new IllegalArgumentException(k.objectName() + " holds no spec"));
        ObjectNode s = d.at(k.revision());
        s.set("TaskTemplate", was.path("TaskTemplate").deepCopy());
        ObjectNode labels = s.withObject("/Labels");
        labels.put(Labels.SPEC_HASH, k.hash());
        String image = was.path("Labels").path(Labels.IMAGE).asText("");
        if (image.isEmpty()) {
            labels.remove(Labels.IMAGE);
        } else {
            labels.put(Labels.IMAGE, image);
        }
        SwarmPlanner.Sent from = from(l, d, kept);
        labels.put(Labels.ROLLED_BACK_FROM, from.hash()).put(Labels.ROLLED_BACK_REVISION, Integer.toString(from.revision()));
        return s;
    }

    /** The manifest's template and its revision number (kept, or the number it would get). */
    static SwarmPlanner.Sent from(LiveService l, DeclaredService d, List<KeptTemplate> kept) {
        if (d.hash().equals(l.label(Labels.ROLLED_BACK_FROM))) {
            return new SwarmPlanner.Sent(d.hash(), SwarmView.number(l.label(Labels.ROLLED_BACK_REVISION)));
        }
        if (d.hash().equals(l.label(Labels.SPEC_HASH))) {
            return new SwarmPlanner.Sent(d.hash(), l.revision());
        }
        return new SwarmPlanner.Sent(d.hash(), SwarmPlanner.revisionFor(d, l, kept));
    }

    /** A template to keep: the spec sent (or running) at a revision. */
    public record Keep(String service, int revision, JsonNode spec) {
        public String hash() {
            return spec.path("Labels").path(Labels.SPEC_HASH).asText("");
        }

        public String image() {
            return spec.path("Labels").path(Labels.IMAGE).asText("");
        }
    }

    /**
     * What to keep after a pass: the specs of the creates and updates Swarm accepted, and the
     * running template of a declared service none is kept for (a service created by a Berth
     * before this history existed, or an object that could not be made then) when it runs the
     * manifest's template, so the manifest's spec is what is kept.
     */
    public static List<Keep> toKeep(List<SwarmAction> accepted, Map<String, DeclaredService> declared, SwarmView view) {
        List<Keep> out = new ArrayList<>();
        Set<String> acted = new HashSet<>();
        for (SwarmAction a : accepted) {
            acted.add(a.service());
            if (a instanceof SwarmAction.Create c && !kept(view, c.service(), c.revision())) {
                out.add(new Keep(c.service(), c.revision(), c.spec()));
            } else if (a instanceof SwarmAction.Update u && !kept(view, u.service(), u.revision())) {
                out.add(new Keep(u.service(), u.revision(), u.spec()));
            }
        }
        for (DeclaredService d : declared.values()) {
            LiveService l = view.services().get(d.name());
            if (l != null && !acted.contains(d.name()) && l.revision() > 0 && d.hash().equals(l.label(Labels.SPEC_HASH))
                    && !kept(view, d.name(), l.revision())) {
                out.add(new Keep(d.name(), l.revision(), d.at(l.revision())));
            }
        }
        return out;
    }

    private static boolean kept(SwarmView view, String service, int revision) {
        return view.kept(service).stream().anyMatch(k -> k.revision() == revision);
    }

    /**
     * Kept templates to remove: all of a service neither declared, held nor on the Swarm; of the
     * others, all but the newest {@code revisionHistoryLimit} revisions, the running one and
     * Swarm's previous one (a rollback's targets) always kept, as on one host.
     *
     * @param limits {@code revisionHistoryLimit} per declared service
     */
    public static List<KeptTemplate> toDrop(SwarmView view, Map<String, Integer> limits, Set<String> held) {
        List<KeptTemplate> out = new ArrayList<>();
        view.kept().forEach((service, list) -> {
            LiveService l = view.services().get(service);
            if (!limits.containsKey(service) && !held.contains(service)) {
                if (l == null) {
                    out.addAll(list);
                }
                return;
            }
            if (!limits.containsKey(service)) {
                return;
            }
            int limit = Math.max(1, limits.get(service));
            Set<Integer> keep = new HashSet<>();
            list.stream().map(KeptTemplate::revision).sorted(Comparator.reverseOrder()).distinct().limit(limit)
                    .forEach(keep::add);
            if (l != null) {
                keep.add(l.revision());
                keep.add(l.previousRevision());
            }
            list.stream().filter(k -> !keep.contains(k.revision())).forEach(out::add);
        });
        return out;
    }

    /** Revision numbers, for messages. */
    private static List<Integer> numbers(List<KeptTemplate> kept) {
        return kept.stream().map(KeptTemplate::revision).toList();
    }
}
