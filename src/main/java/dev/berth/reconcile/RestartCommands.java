package dev.berth.reconcile;

import dev.berth.desired.DesiredState;
import dev.berth.events.EventLog;
import dev.berth.rollout.Command;
import dev.berth.rollout.CommandRejected;
import dev.berth.rollout.RolloutRecord;
import dev.berth.rollout.RolloutState;
import dev.berth.state.StateStore;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The first thing a pass does with the operator commands it took: refuses those for services no
 * manifest declares (404) and applies rolling restarts, each as a new restart generation (which
 * the resolver hashes, so the restart is a new revision rolled out like any other). Restarts are
 * refused (409) while the service's state file cannot be read, while it is paused and while a
 * rollback holds it. Other commands are left for {@link RolloutSteps}.
 */
final class RestartCommands {
    private static final Logger LOG = Logger.getLogger(RestartCommands.class);

    private final StateStore state;
    private final EventLog events;

    RestartCommands(StateStore state, EventLog events) {
        this.state = state;
        this.events = events;
    }

    void apply(DesiredState desired, List<PendingCommand> pending) {
        for (PendingCommand p : pending) {
            String name = p.command().service();
            if (!desired.services().containsKey(name)) {
                p.done().completeExceptionally(new CommandRejected(404, "no service named '" + name + "'"));
            } else if (p.command() instanceof Command.Restart) {
                String refusal = refusal(name);
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
    private String refusal(String name) {
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
}
