package dev.berth.reconcile;

import dev.berth.rollout.Command;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * What {@link ReconcileLoop} drives: one engine ({@link Reconciler}) or a Swarm manager
 * ({@link SwarmReconciler}). Both are level-triggered and single-threaded by contract: the loop
 * is the only caller of {@link #pass}.
 */
public interface ReconcileBackend extends AutoCloseable {
    /**
     * Runs one pass; returns when the loop should look again (null: only on triggers).
     * {@code fresh}: ask the engine afresh rather than trust what events vouch for.
     */
    Instant pass(boolean fresh);

    /** Queues an operator command for the next pass; the future completes after it was applied. */
    CompletableFuture<Void> submit(Command c);

    /**
     * The service's revisions as this backend keeps them, oldest first, or empty when they are in
     * the state directory (one engine); the Swarm backend answers from the services' specs.
     */
    default java.util.Optional<java.util.List<dev.berth.state.RevisionRecord>> revisions(String service) {
        return java.util.Optional.empty();
    }

    @Override
    void close();
}
