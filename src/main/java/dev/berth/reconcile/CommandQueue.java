package dev.berth.reconcile;

import dev.berth.rollout.Command;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Operator commands waiting for the next pass, for either backend: any thread queues one and
 * wakes the loop; the pass takes every command queued so far. A command the pass did not complete
 * (it threw, or no step took it) is rejected with 409, never left waiting.
 */
final class CommandQueue {
    private final ConcurrentLinkedQueue<PendingCommand> commands = new ConcurrentLinkedQueue<>();
    private final Consumer<String> wake;

    CommandQueue(Consumer<String> wake) {
        this.wake = wake;
    }

    CompletableFuture<Void> submit(Command c) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        commands.add(new PendingCommand(c, done));
        wake.accept("command " + c.getClass().getSimpleName() + " for " + c.service());
        return done;
    }

    /** Runs {@code pass} with the commands queued so far. */
    Instant run(Function<List<PendingCommand>, Instant> pass) {
        List<PendingCommand> pending = new ArrayList<>();
        for (PendingCommand p; (p = commands.poll()) != null; ) {
            pending.add(p);
        }
        try {
            return pass.apply(pending);
        } finally {
            PendingCommand.reject(pending, 409, "the command could not be applied in this pass");
        }
    }
}
