package dev.berth.rollout;

import dev.berth.desired.ResolvedService;
import java.time.Instant;
import java.util.Optional;
import dev.berth.resolve.ResolveException;
import dev.berth.resolve.Resolver;

/**
 * The image check before a rollback creates containers of a kept revision: the image must be on
 * the host, pulled by its digest if it is gone (see {@link Resolver#restoreImage}). A rollback
 * whose image cannot be had stops at once, paused with the reason, before any replica of the
 * running revision is retired: the running revision keeps serving.
 */
public final class RollbackImage {
    private RollbackImage() {}

    /** Gets a kept revision's image onto the host: null when it is there now, else why it cannot be. */
    @FunctionalInterface
    public interface Restorer {
        String restore(ResolvedService kept) throws ResolveException;
    }

    /**
     * @param kept the target revision as kept in history (empty when the target is the manifest's own)
     * @return {@code rec} itself when there is nothing to do or the image is there now; else the
     *         record paused with the reason (a rollback in progress), so the caller can report it
     * @throws ResolveException when a pull failed (retried with backoff), or a held rollback lost
     *         an image it cannot get back (reported; nothing is created meanwhile)
     */
    public static RolloutRecord check(RolloutRecord rec, ResolvedService manifest, Optional<ResolvedService> kept,
            Restorer restorer, Instant now) throws ResolveException {
        boolean restoring = rec.state() == RolloutState.ROLLING_BACK || rec.state() == RolloutState.ROLLED_BACK;
        if (!restoring || rec.targetHash().equals(manifest.specHash()) || kept.isEmpty()) {
            return rec;
        }
        String why = restorer.restore(kept.get());
        if (why == null) {
            return rec;
        }
        String reason = "cannot restore revision " + rec.targetRevision() + ": " + why;
        if (rec.state() == RolloutState.ROLLED_BACK) {
            throw new ResolveException(reason);
        }
        return rec.to(RolloutState.PAUSED, now, "rollback failed: " + reason);
    }
}
