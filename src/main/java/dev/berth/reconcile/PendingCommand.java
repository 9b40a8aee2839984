package dev.berth.reconcile;

import dev.berth.rollout.Command;
import dev.berth.rollout.CommandRejected;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** An operator command waiting for the next pass, and who waits for its outcome. */
record PendingCommand(Command command, CompletableFuture<Void> done) {

    /** Fails every command of {@code pending} not completed yet; a completed one is left as it is. */
    static void reject(List<PendingCommand> pending, int status, String why) {
        pending.forEach(p -> p.done().completeExceptionally(new CommandRejected(status, why)));
    }
}
