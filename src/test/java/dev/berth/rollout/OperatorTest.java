package dev.berth.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.plan.Fixtures;
import dev.berth.desired.ResolvedService;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Operator commands as transitions of the rollout record, without an engine. */
class OperatorTest {
    static final Instant T = Instant.parse("2026-01-01T12:00:00Z");

    static ResolvedService rev(int n) {
        return new ResolvedService(Fixtures.spec("web", 2), "img", "sha256:" + n, null, List.of(), "h" + n, n);
    }

    /** Revision {@code n} as kept, last active {@code minute} minutes after T. */
    static KeptRevision kept(int n, String outcome, int minute) {
        return new KeptRevision(n, "h" + n, true, RevisionOutcome.parse(outcome), T.plusSeconds(60L * minute));
    }

    static final List<KeptRevision> HISTORY = List.of(kept(1, "Superseded", 1), kept(2, "Superseded", 2),
            kept(3, "Complete", 3));

    static RolloutRecord complete(int from, int to) {
        return new RolloutRecord(RolloutState.COMPLETE, "h" + from, from, "h" + to, to, T, T, "ok", Set.of(), null);
    }

    static RolloutRecord apply(Command c, RolloutRecord rec, int manifest) {
        return Operator.apply(c, rec, rev(manifest), HISTORY, T.plusSeconds(3600));
    }

    static void rejected(int status, String fragment, Runnable r) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(CommandRejected.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.getMessage()).contains(fragment);
        });
    }

    @Test
    void rollbackGoesToThePreviousGoodRevisionAndHoldsOnTheManifestsOne() {
        RolloutRecord r = apply(new Command.Rollback("web", null, "alice"), complete(2, 3), 3);
        assertThat(r.state()).isEqualTo(RolloutState.ROLLING_BACK);
        assertThat(r.targetRevision()).isEqualTo(2);
        assertThat(r.toHash()).isEqualTo("h3");
        assertThat(r.reason()).contains("requested by alice");
    }

    @Test
    void rollbackGoesToTheRevisionThatRanLastNotTheNewestNumber() {
        // A (r1) → B (r2) → C (r3) → A → B: numbers and creation times stay, deployment times move.
        List<KeptRevision> history = List.of(kept(1, "Superseded", 10), kept(2, "Complete", 11),
                kept(3, "Superseded", 5));
        RolloutRecord r = Operator.apply(new Command.Rollback("web", null, "a"), complete(1, 2), rev(2), history,
                T.plusSeconds(800));
        assertThat(r.targetRevision()).isEqualTo(1);
    }

    @Test
    void rollbackToANamedRevision() {
        assertThat(apply(new Command.Rollback("web", 1, "a"), complete(2, 3), 3).targetRevision()).isEqualTo(1);
        rejected(404, "revision 9 of web is not in the kept history", () -> apply(new Command.Rollback("web", 9, "a"), complete(2, 3), 3));
        rejected(409, "already runs revision 3", () -> apply(new Command.Rollback("web", 3, "a"), complete(2, 3), 3));
    }

    @Test
    void rollbackSkipsRevisionsThatNeverRanWell() {
        List<KeptRevision> history = List.of(kept(1, "Complete", 1), kept(2, "Failed: unhealthy", 2), kept(3, "Complete", 3));
        RolloutRecord r = Operator.apply(new Command.Rollback("web", null, "a"), complete(1, 3), rev(3), history, T);
        assertThat(r.targetRevision()).isEqualTo(1);
        rejected(409, "no earlier good revision", () -> Operator.apply(new Command.Rollback("web", null, "a"),
                complete(0, 3), rev(3), List.of(kept(3, "Complete", 3)), T));
    }

    @Test
    void rollbackNeverGoesToARevisionThatIsNotKeptWhole() {
        KeptRevision bare = new KeptRevision(2, "h2", false, RevisionOutcome.COMPLETE, T.plusSeconds(600));
        List<KeptRevision> history = List.of(kept(1, "Complete", 1), bare, kept(3, "Complete", 3));
        assertThat(Operator.apply(new Command.Rollback("web", null, "a"), complete(2, 3), rev(3), history, T)
                .targetRevision()).isEqualTo(1);
        rejected(404, "revision 2 of web is not in the kept history", () -> Operator.apply(
                new Command.Rollback("web", 2, "a"), complete(2, 3), rev(3), history, T));
    }

    @Test
    void pauseAndResumeOnlyInFlight() {
        RolloutRecord progressing = new RolloutRecord(RolloutState.PROGRESSING, "h2", 2, "h3", 3, T, null, "x", Set.of(), null);
        RolloutRecord paused = apply(new Command.Pause("web", "a"), progressing, 3);
        assertThat(paused.state()).isEqualTo(RolloutState.PAUSED);
        assertThat(paused.paused()).isTrue();
        assertThat(paused.targetRevision()).isEqualTo(3);
        RolloutRecord resumed = apply(new Command.Resume("web", "a"), paused, 3);
        assertThat(resumed.state()).isEqualTo(RolloutState.PROGRESSING);
        assertThat(resumed.startedAt()).isEqualTo(T.plusSeconds(3600));
        rejected(409, "no rollout in progress", () -> apply(new Command.Pause("web", "a"), complete(2, 3), 3));
        rejected(409, "not paused", () -> apply(new Command.Resume("web", "a"), complete(2, 3), 3));
    }

    @Test
    void aPausedRollbackStaysPointedAtTheRestoredRevision() {
        RolloutRecord back = apply(new Command.Rollback("web", null, "a"), complete(2, 3), 3);
        RolloutRecord paused = apply(new Command.Pause("web", "a"), back, 3);
        assertThat(paused.targetRevision()).isEqualTo(2);
        assertThat(apply(new Command.Resume("web", "a"), paused, 3).state()).isEqualTo(RolloutState.ROLLING_BACK);
    }

    @Test
    void aFailurePauseCannotBeResumedOnlyRetried() {
        RolloutRecord failed = new RolloutRecord(RolloutState.PAUSED, "h2", 2, "h3", 3, T, null, "unhealthy", Set.of("h3"), null);
        rejected(409, "retry it or change the manifest", () -> apply(new Command.Resume("web", "a"), failed, 3));
        RolloutRecord retried = apply(new Command.Retry("web", "a"), failed, 3);
        assertThat(retried.state()).isEqualTo(RolloutState.PROGRESSING);
        assertThat(retried.failedHashes()).doesNotContain("h3");
        assertThat(retried.fromHash()).isEqualTo("h2");
        rejected(409, "has not failed", () -> apply(new Command.Retry("web", "a"), complete(2, 3), 3));
    }
}
