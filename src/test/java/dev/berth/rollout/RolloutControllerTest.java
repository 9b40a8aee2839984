package dev.berth.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.desired.ServiceSpec;
import dev.berth.desired.UpdatePolicy;
import dev.berth.observed.ContainerState;
import dev.berth.observed.ObservedContainer;
import dev.berth.observed.ReplicaHealth;
import dev.berth.plan.Fixtures;
import dev.berth.desired.ResolvedService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rollout state machine, step by step, without an engine. */
class RolloutControllerTest {
    static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

    final List<ObservedContainer> containers = new ArrayList<>();
    final Map<String, ReplicaHealth> health = new HashMap<>();

    static ResolvedService rev(int n, UpdatePolicy.FailureAction action) {
        ServiceSpec s = Fixtures.spec("web", 2);
        UpdatePolicy d = UpdatePolicy.DEFAULT;
        UpdatePolicy u = new UpdatePolicy(d.order(), d.maxSurge(), d.maxUnavailable(), d.minReady(), Duration.ofSeconds(60),
                action, Duration.ofSeconds(30), d.drain());
        s = new ServiceSpec(s.name(), s.source(), s.labels(), s.image(), s.pullPolicy(), 2, s.command(), s.entrypoint(),
                s.workingDir(), s.env(), s.secrets(), s.configs(), s.ports(), s.volumes(), s.networks(), s.resources(),
                s.user(), s.stopGracePeriod(), s.restart(), s.init(), s.dependsOn(), null, u, 10, null);
        return new ResolvedService(s, "img", "sha256:" + n, null, List.of(), "h" + n, n);
    }

    static ResolvedService rev(int n) {
        return rev(n, UpdatePolicy.FailureAction.ROLLBACK);
    }

    void container(int rev, int ordinal, ContainerState state, ReplicaHealth.State h) {
        String id = "c" + rev + "-" + ordinal;
        containers.add(new ObservedContainer(id, "p-web-r" + rev + "-" + ordinal, "web", rev, "h" + rev, ordinal, "web.yaml",
                state, state == ContainerState.EXITED ? 1 : 0, T0, null, "sha256:" + rev, 0, 0, Set.of("default"), Map.of()));
        if (h != null) {
            health.put(id, h == ReplicaHealth.State.READY ? new ReplicaHealth(h, 0, T0, null, null)
                    : new ReplicaHealth(h, 3, null, T0, "HTTP 500"));
        }
    }

    RolloutRecord decide(RolloutRecord rec, ResolvedService manifest, Instant now) {
        return RolloutController.decide(rec, manifest, containers, health, now).record();
    }

    static RolloutRecord progressing(int from, int to) {
        return new RolloutRecord(RolloutState.PROGRESSING, from == 0 ? null : "h" + from, from, "h" + to, to, T0, null,
                "new revision " + to, Set.of(), null);
    }

    @Test
    void firstDeploymentProgressesThenCompletes() {
        RolloutRecord r = decide(null, rev(1), T0);
        assertThat(r.state()).isEqualTo(RolloutState.PROGRESSING);
        assertThat(r.fromHash()).isNull();
        container(1, 1, ContainerState.RUNNING, ReplicaHealth.State.READY);
        container(1, 2, ContainerState.RUNNING, ReplicaHealth.State.READY);
        r = decide(r, rev(1), T0.plusSeconds(5));
        assertThat(r.state()).isEqualTo(RolloutState.COMPLETE);
        assertThat(r.completedAt()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void aNewManifestRevisionStartsARolloutFromTheStableOne() {
        RolloutRecord complete = progressing(0, 1).to(RolloutState.COMPLETE, T0, "ok");
        container(1, 1, ContainerState.RUNNING, ReplicaHealth.State.READY);
        RolloutRecord r = decide(complete, rev(2), T0.plusSeconds(100));
        assertThat(r.state()).isEqualTo(RolloutState.PROGRESSING);
        assertThat(r.fromHash()).isEqualTo("h1");
        assertThat(r.toHash()).isEqualTo("h2");
        assertThat(r.targetHash()).isEqualTo("h2");
    }

    @Test
    void notCompleteWhileOldReplicasRemain() {
        container(1, 1, ContainerState.RUNNING, ReplicaHealth.State.READY);
        container(2, 1, ContainerState.RUNNING, ReplicaHealth.State.READY);
        container(2, 2, ContainerState.RUNNING, ReplicaHealth.State.READY);
        assertThat(decide(progressing(1, 2), rev(2), T0.plusSeconds(5)).state()).isEqualTo(RolloutState.PROGRESSING);
    }

    @Test
    void anUnhealthyNewReplicaRollsBackAndTheFailedRevisionIsRemembered() {
        container(1, 1, ContainerState.RUNNING, ReplicaHealth.State.READY);
        container(2, 1, ContainerState.RUNNING, ReplicaHealth.State.UNHEALTHY);
        RolloutRecord r = decide(progressing(1, 2), rev(2), T0.plusSeconds(5));
        assertThat(r.state()).isEqualTo(RolloutState.ROLLING_BACK);
        assertThat(r.targetHash()).isEqualTo("h1");
        assertThat(r.failedHashes()).containsExactly("h2");
        assertThat(r.reason()).contains("unhealthy");
    }

    @Test
    void anExitedNewReplicaFailsTheRollout() {
        container(1, 1, ContainerState.RUNNING, ReplicaHealth.State.READY);
        container(2, 1, ContainerState.EXITED, null);
        assertThat(decide(progressing(1, 2), rev(2), T0.plusSeconds(5)).state()).isEqualTo(RolloutState.ROLLING_BACK);
    }

    @Test
    void theProgressDeadlineFailsARolloutThatHangs() {
        container(1, 1, ContainerState.RUNNING, ReplicaHealth.State.READY);
        container(2, 1, ContainerState.RUNNING, ReplicaHealth.State.STARTING);
        assertThat(decide(progressing(1, 2), rev(2), T0.plusSeconds(59)).state()).isEqualTo(RolloutState.PROGRESSING);
        RolloutRecord r = decide(progressing(1, 2), rev(2), T0.plusSeconds(61));
        assertThat(r.state()).isEqualTo(RolloutState.ROLLING_BACK);
        assertThat(r.reason()).contains("deadline");
    }

    @Test
    void failureActionPausePauses() {
        container(2, 1, ContainerState.EXITED, null);
        RolloutRecord r = decide(progressing(1, 2), rev(2, UpdatePolicy.FailureAction.PAUSE), T0.plusSeconds(5));
        assertThat(r.state()).isEqualTo(RolloutState.PAUSED);
        assertThat(r.paused()).isTrue();
        assertThat(r.targetHash()).isEqualTo("h2");
    }

    @Test
    void aRollbackCompletesAsRolledBackAndHoldsWhileTheManifestStillAsksForTheFailedRevision() {
        RolloutRecord back = progressing(1, 2).failing(RolloutState.ROLLING_BACK, T0, "unhealthy");
        container(1, 1, ContainerState.RUNNING, ReplicaHealth.State.READY);
        container(1, 2, ContainerState.RUNNING, ReplicaHealth.State.READY);
        RolloutRecord r = decide(back, rev(2), T0.plusSeconds(10));
        assertThat(r.state()).isEqualTo(RolloutState.ROLLED_BACK);
        assertThat(decide(r, rev(2), T0.plusSeconds(1000)).state()).isEqualTo(RolloutState.ROLLED_BACK);
        // A new manifest revision rolls out from the restored one.
        RolloutRecord next = decide(r, rev(3), T0.plusSeconds(2000));
        assertThat(next.state()).isEqualTo(RolloutState.PROGRESSING);
        assertThat(next.fromHash()).isEqualTo("h1");
        assertThat(next.toHash()).isEqualTo("h3");
    }

    @Test
    void theManifestRevertedToTheRestoredRevisionIsSimplyComplete() {
        RolloutRecord rolledBack = progressing(1, 2).failing(RolloutState.ROLLING_BACK, T0, "x").to(RolloutState.ROLLED_BACK, T0, "x");
        container(1, 1, ContainerState.RUNNING, ReplicaHealth.State.READY);
        RolloutRecord r = decide(rolledBack, rev(1), T0.plusSeconds(5));
        assertThat(r.state()).isEqualTo(RolloutState.COMPLETE);
        assertThat(r.targetHash()).isEqualTo("h1");
    }

    @Test
    void aRollbackThatFailsPausesInsteadOfRollingBackItself() {
        RolloutRecord back = progressing(1, 2).failing(RolloutState.ROLLING_BACK, T0, "unhealthy");
        container(1, 1, ContainerState.EXITED, null);
        RolloutRecord r = decide(back, rev(2), T0.plusSeconds(5));
        assertThat(r.state()).isEqualTo(RolloutState.PAUSED);
        assertThat(r.reason()).startsWith("rollback failed");
        assertThat(r.targetHash()).isEqualTo("h2");
    }

    @Test
    void withinTheMonitorWindowACrashStillRollsBackAfterwardsItIsOnlyARestart() {
        RolloutRecord complete = progressing(1, 2).to(RolloutState.COMPLETE, T0, "ok");
        container(2, 1, ContainerState.EXITED, null);
        assertThat(decide(complete, rev(2), T0.plusSeconds(10)).state()).isEqualTo(RolloutState.ROLLING_BACK);
        assertThat(decide(complete, rev(2), T0.plusSeconds(31)).state()).isEqualTo(RolloutState.COMPLETE);
    }

    @Test
    void aFailedFirstDeploymentHasNothingToRollBackToAndRecoversWhenItComesUp() {
        container(1, 1, ContainerState.EXITED, null);
        RolloutRecord r = decide(progressing(0, 1), rev(1), T0.plusSeconds(5));
        assertThat(r.state()).isEqualTo(RolloutState.FAILED);
        containers.clear();
        container(1, 1, ContainerState.RUNNING, ReplicaHealth.State.READY);
        container(1, 2, ContainerState.RUNNING, ReplicaHealth.State.READY);
        assertThat(decide(r, rev(1), T0.plusSeconds(50)).state()).isEqualTo(RolloutState.COMPLETE);
    }

    @Test
    void aFailedRevisionIsNotRetriedWhileTheManifestStillAsksForIt() {
        RolloutRecord rolledBack = progressing(1, 2).failing(RolloutState.ROLLING_BACK, T0, "x").to(RolloutState.ROLLED_BACK, T0, "x");
        container(1, 1, ContainerState.RUNNING, ReplicaHealth.State.READY);
        container(1, 2, ContainerState.RUNNING, ReplicaHealth.State.READY);
        for (int pass = 1; pass <= 5; pass++) {
            RolloutRecord r = decide(rolledBack, rev(2), T0.plusSeconds(pass * 600L));
            assertThat(r).isEqualTo(rolledBack);
            assertThat(r.targetHash()).isEqualTo("h1");
        }
    }

    @Test
    void aFailedRevisionAskedForAgainAfterAnotherChangeIsTriedAgain() {
        // v2 failed and was rolled back; the manifest moves on to v3, then back to v2: that is a new
        // manifest change, so v2 gets a fresh rollout (it may have failed for a reason now gone).
        RolloutRecord rolledBack = progressing(1, 2).failing(RolloutState.ROLLING_BACK, T0, "x").to(RolloutState.ROLLED_BACK, T0, "x");
        RolloutRecord moved = decide(rolledBack, rev(3), T0.plusSeconds(5));
        assertThat(moved.toHash()).isEqualTo("h3");
        assertThat(moved.failedHashes()).isEmpty();
        RolloutRecord complete3 = moved.to(RolloutState.COMPLETE, T0.plusSeconds(10), "ok");
        container(3, 1, ContainerState.RUNNING, ReplicaHealth.State.READY);
        container(3, 2, ContainerState.RUNNING, ReplicaHealth.State.READY);
        RolloutRecord again = decide(complete3, rev(2), T0.plusSeconds(100));
        assertThat(again.state()).isEqualTo(RolloutState.PROGRESSING);
        assertThat(again.fromHash()).isEqualTo("h3");
        assertThat(again.toHash()).isEqualTo("h2");
        // ...and if it fails again, it rolls back to v3 and holds again.
        container(2, 1, ContainerState.EXITED, null);
        RolloutRecord failed = decide(again, rev(2), T0.plusSeconds(105));
        assertThat(failed.state()).isEqualTo(RolloutState.ROLLING_BACK);
        assertThat(failed.targetHash()).isEqualTo("h3");
        assertThat(failed.failedHashes()).containsExactly("h2");
    }
}
