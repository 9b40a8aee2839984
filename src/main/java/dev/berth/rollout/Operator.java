package dev.berth.rollout;

import dev.berth.desired.ResolvedService;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Applies operator commands to a service's rollout record — pure, so table tests cover it.
 * Rollback, pause, resume and retry are transitions of the same state machine the controller
 * drives (see {@link RolloutController}); a manual rollback holds like an automatic one.
 */
public final class Operator {
    private Operator() {}

    /**
     * @param rec      the current record (never null: the service has been seen)
     * @param manifest the manifest's revision now
     * @param history  the kept revisions (the caller reads them from the state store)
     * @throws CommandRejected 404 or 409 with a reason a person understands
     */
    public static RolloutRecord apply(Command c, RolloutRecord rec, ResolvedService manifest, List<KeptRevision> history,
            Instant now) {
        String by = " by " + c.who() + " at " + now;
        if (c instanceof Command.Rollback r) {
            KeptRevision target = r.revision() != null ? named(c.service(), r.revision(), history)
                    : previousGood(c.service(), rec, history);
            if (target.specHash().equals(rec.targetHash()) && rec.state() != RolloutState.PROGRESSING) {
                throw new CommandRejected(409, c.service() + " already runs revision " + target.revision());
            }
            return new RolloutRecord(RolloutState.ROLLING_BACK, target.specHash(), target.revision(), manifest.specHash(),
                    manifest.revision(), now, null, "rollback to revision " + target.revision() + " requested" + by,
                    rec.failedHashes(), null);
        }
        if (c instanceof Command.Pause) {
            if (rec.state() != RolloutState.PROGRESSING && rec.state() != RolloutState.ROLLING_BACK) {
                throw new CommandRejected(409, c.service() + " has no rollout in progress to pause (rollout "
                        + rec.state() + ")");
            }
            return rec.paused(now, "paused" + by);
        }
        if (c instanceof Command.Resume) {
            if (rec.state() != RolloutState.PAUSED) {
                throw new CommandRejected(409, c.service() + " is not paused (rollout " + rec.state() + ")");
            }
            if (rec.pausedFrom() == null) {
                throw new CommandRejected(409, c.service() + " stopped after a failure (" + rec.reason()
                        + "); retry it or change the manifest");
            }
            return rec.resumed(now, "resumed" + by);
        }
        if (c instanceof Command.Retry) {
            if (!rec.failedHashes().contains(manifest.specHash())) {
                throw new CommandRejected(409, "revision " + manifest.revision() + " of " + c.service()
                        + " has not failed; nothing to retry");
            }
            // failedHashes holds only the record's `to` (a manifest change empties it), so `to` is the manifest's.
            return rec.retried(now, "retry of revision " + manifest.revision() + " requested" + by, rec.probeHash());
        }
        throw new IllegalArgumentException("not a rollout command: " + c);
    }

    private static KeptRevision named(String service, int revision, List<KeptRevision> history) {
        return history.stream().filter(h -> h.revision() == revision && h.restorable()).findFirst()
                .orElseThrow(() -> new CommandRejected(404, "revision " + revision + " of " + service
                        + " is not in the kept history (kept: " + history.stream().map(h -> Integer.toString(h.revision()))
                        .toList() + ")"));
    }

    /** Of the kept revisions other than the current target that ran well, the one that ran last. */
    private static KeptRevision previousGood(String service, RolloutRecord rec, List<KeptRevision> history) {
        return history.stream()
                .filter(h -> h.restorable() && !h.specHash().equals(rec.targetHash()) && h.ranWell())
                .max(Comparator.comparing(KeptRevision::lastActive))
                .orElseThrow(() -> new CommandRejected(409, service + " has no earlier good revision to roll back to"));
    }
}
