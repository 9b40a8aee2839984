package dev.berth.reconcile;

import dev.berth.rollout.Command;
import java.util.concurrent.CompletableFuture;

/** An operator command waiting for the next pass, and who waits for its outcome. */
record PendingCommand(Command command, CompletableFuture<Void> done) {}
