package dev.berth.plan;

import dev.berth.observed.ObservedContainer;
import java.util.List;

/**
 * How containers of an older revision give way to the current one. The seam where rolling,
 * health-gated start-first updates plug in; today's only strategy is {@link #STOP_FIRST}.
 */
public interface ReplacementStrategy {

    /**
     * Actions that retire {@code old} containers of {@code target}'s service, and whether new
     * replicas may be created in this same pass.
     */
    Step replace(ResolvedService target, List<ObservedContainer> old);

    record Step(List<Action> actions, boolean createNew) {}

    /** Remove every old container, then create the new ones in the same pass. */
    ReplacementStrategy STOP_FIRST = (target, old) -> new Step(
            old.stream().<Action>map(c -> new Action.RemoveContainer(c, target.spec().stopGracePeriod(),
                    "revision " + c.revision() + " replaced by revision " + target.revision())).toList(),
            true);
}
