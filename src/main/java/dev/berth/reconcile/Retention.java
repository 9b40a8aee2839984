package dev.berth.reconcile;

import dev.berth.desired.DesiredState;
import dev.berth.desired.ResolvedService;
import dev.berth.engine.ImagePins;
import dev.berth.observed.ObservedState;
import dev.berth.plan.Plan;
import dev.berth.resolve.Resolver;
import dev.berth.state.RevisionRecord;
import dev.berth.state.StateStore;
import dev.berth.state.StateUnreadable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The end of a pass: keeps on the host what the kept revisions need and nothing more. Reads the
 * revision history from the store and hands the resolver values: the rendered files to keep
 * (pruned only after a pass that changed something) and the image pins to hold. Runs on the
 * planning thread only.
 */
final class Retention {
    private final StateStore state;
    private final Resolver resolver;

    Retention(StateStore state, Resolver resolver) {
        this.state = state;
        this.resolver = resolver;
    }

    void apply(DesiredState desired, ObservedState observed, ResolveStep.Resolved resolved, Plan plan) {
        prune(resolved.targets(), observed, plan, resolved.errors());
        wantedPins(desired, observed).ifPresent(resolver::pinHistory);
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
        resolver.prune(keep, state.unreadable().keySet());
    }

    /**
     * The images to keep pinned: those of the kept revisions of the declared services and of
     * those whose manifest file is held (broken since a restart). Empty while the state file of
     * one of them cannot be read: its kept revisions are unknown, so every pin stays as it is
     * (unpinning could lose an image a rollback needs once the file is fixed).
     */
    private Optional<List<ImagePins.Pin>> wantedPins(DesiredState desired, ObservedState observed) {
        Set<String> services = new TreeSet<>(desired.services().keySet());
        observed.containers().stream().filter(c -> desired.holds(c.source()))
                .forEach(c -> services.add(c.service()));
        List<ImagePins.Pin> wanted = new ArrayList<>();
        try {
            for (String service : services) {
                for (RevisionRecord r : state.revisions(service)) {
                    if (r.resolved() != null && r.resolved().imageId() != null) {
                        wanted.add(new ImagePins.Pin(service, r.revision(), r.resolved().imageId()));
                    }
                }
            }
        } catch (StateUnreadable e) {
            return Optional.empty();
        }
        return Optional.of(wanted);
    }
}
