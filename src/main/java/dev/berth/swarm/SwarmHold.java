package dev.berth.swarm;

/**
 * Why Berth leaves a Swarm service as it is for now, although the manifest says otherwise.
 *
 * @param kind   {@code ROLLING_BACK}: Swarm is rolling it back; {@code ROLLED_BACK}: Swarm rolled it
 *               back from the declared template (its failure action or the operator's rollback),
 *               held until the manifest changes or a retry; {@code PAUSED}: an update or rollback
 *               Swarm paused on failure, held the same way; {@code WAITING}: not created until its
 *               {@code dependsOn} conditions hold
 * @param reason in words, for status
 */
public record SwarmHold(Kind kind, String reason) {
    public enum Kind { ROLLING_BACK, ROLLED_BACK, PAUSED, WAITING }
}
