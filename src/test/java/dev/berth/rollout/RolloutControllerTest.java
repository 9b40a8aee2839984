package dev.berth.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.desired.HealthCheck;
import dev.berth.desired.IntOrPercent;
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
import dev.berth.resolve.ProbeHash;

/** The rollout state machine, step by step, without an engine. */
class RolloutControllerTest {
    static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

    final List<ObservedContainer> containers = new ArrayList<>();
    final Map<String, ReplicaHealth> health = new HashMap<>();

    static ResolvedService rev(int n, UpdatePolicy.FailureAction action) {
        return rev(n, action, null);
    }

    static ResolvedService rev(int n, UpdatePolicy.FailureAction action, HealthCheck hc) {
        ServiceSpec s = Fixtures.spec("web", 2);
        UpdatePolicy d = UpdatePolicy.DEFAULT;
        UpdatePolicy u = new UpdatePolicy(d.order(), d.maxSurge(), d.maxUnavailable(), d.minReady(), Duration.ofSeconds(60),
                action, Duration.ofSeconds(30), d.drain());
        s = new ServiceSpec(s.name(), s.source(), s.labels(), s.image(), s.pullPolicy(), 2, s.command(), s.entrypoint(),
                s.workingDir(), s.env(), s.secrets(), s.configs(), s.ports(), s.volumes(), s.networks(), s.networkAliases(), s.resources(),
                s.user(), s.stopGracePeriod(), s.stopSignal(), s.restart(), s.init(), s.dependsOn(), hc, u, 10, null);
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

    final Set<String> stoppedByOthers = new java.util.HashSet<>();

    RolloutRecord decide(RolloutRecord rec, ResolvedService manifest, Instant now) {
        return RolloutController.decide(rec, manifest, containers, health, stoppedByOthers, now).record();
    }

    /** A rollout from {@code from} (0: none) to {@code to}, probed as {@link #rev(int)} is (no healthcheck). */
    static RolloutRecord progressing(int from, int to) {
        return new RolloutRecord(RolloutState.PROGRESSING, from == 0 ? null : "h" + from, from, "h" + to, to, T0, null,
                "new revision " + to, Set.of(), null, ProbeHash.NONE);
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
    void anAttemptIsJudgedOnlyByWhatHappenedDuringIt() {
        // Paused on failure, then /retry at T0+100: the verdicts from before the retry are stale.
        container(1, 1, ContainerState.RUNNING, ReplicaHealth.State.READY);
        container(2, 1, ContainerState.RUNNING, ReplicaHealth.State.UNHEALTHY); // unhealthy since T0
        containers.add(new ObservedContainer("c2-2", "p-web-r2-2", "web", 2, "h2", 2, "web.yaml", ContainerState.EXITED, 1,
                T0.minusSeconds(5), T0, "sha256:2", 0, 0, Set.of("default"), Map.of()));
        RolloutRecord retried = new RolloutRecord(RolloutState.PROGRESSING, "h1", 1, "h2", 2, T0.plusSeconds(100), null,
                "retry requested", Set.of(), null, ProbeHash.NONE);
        assertThat(decide(retried, rev(2), T0.plusSeconds(101)).state()).isEqualTo(RolloutState.PROGRESSING);
        // A verdict given during the attempt counts.
        health.put("c2-1", new ReplicaHealth(ReplicaHealth.State.UNHEALTHY, 3, null, T0.plusSeconds(102), "HTTP 500"));
        assertThat(decide(retried, rev(2), T0.plusSeconds(103)).state()).isEqualTo(RolloutState.ROLLING_BACK);
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
    void aFirstDeploymentHasNoProbation() {
        RolloutRecord complete = progressing(0, 1).to(RolloutState.COMPLETE, T0, "ok");
        container(1, 1, ContainerState.EXITED, null);
        container(1, 2, ContainerState.RUNNING, ReplicaHealth.State.UNHEALTHY);
        assertThat(decide(complete, rev(1), T0.plusSeconds(10)).state()).isEqualTo(RolloutState.COMPLETE);
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

    // ---- health settings that apply: a changed healthcheck retries a failed attempt ----

    static final HealthCheck WRONG_PATH = new HealthCheck(HealthCheck.Kind.HTTP, "/nope", 8080, 0, List.of(),
            Duration.ofSeconds(1), Duration.ofSeconds(1), 3, Duration.ZERO);
    static final HealthCheck FIXED_PATH = new HealthCheck(HealthCheck.Kind.HTTP, "/healthz", 8080, 0, List.of(),
            Duration.ofSeconds(1), Duration.ofSeconds(1), 3, Duration.ZERO);

    /** A record of the attempt 1 → 2 (0 → 2 when {@code firstDeployment}) in {@code state}, probed with WRONG_PATH. */
    static RolloutRecord attempt(String state, String probe) {
        RolloutRecord p = new RolloutRecord(RolloutState.PROGRESSING, "h1", 1, "h2", 2, T0, null, "new revision 2",
                Set.of(), null, probe);
        RolloutRecord first = new RolloutRecord(RolloutState.PROGRESSING, null, 0, "h2", 2, T0, null, "first deployment",
                Set.of(), null, probe);
        return switch (state) {
            case "PROGRESSING" -> p;
            case "PAUSED by operator" -> p.paused(T0, "paused by ops");
            case "COMPLETE" -> p.to(RolloutState.COMPLETE, T0, "ok");
            case "ROLLING_BACK" -> p.failing(RolloutState.ROLLING_BACK, T0, "unhealthy");
            case "PAUSED rollback by operator" -> p.failing(RolloutState.ROLLING_BACK, T0, "unhealthy").paused(T0, "ops");
            case "ROLLED_BACK" -> p.failing(RolloutState.ROLLING_BACK, T0, "unhealthy").to(RolloutState.ROLLED_BACK, T0, "x");
            case "PAUSED by failure" -> p.failing(RolloutState.PAUSED, T0, "unhealthy");
            case "FAILED" -> first.failing(RolloutState.FAILED, T0, "unhealthy");
            default -> throw new IllegalArgumentException(state);
        };
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}, record probe {1}, manifest probe {2} → {3}, probe {4}")
    @org.junit.jupiter.params.provider.CsvSource({
        // a failed attempt whose probe changed is tried again (fresh deadline, no longer failed)
        "ROLLED_BACK,                 wrong, fixed, PROGRESSING,                 fixed",
        "PAUSED by failure,           wrong, fixed, PROGRESSING,                 fixed",
        "FAILED,                      wrong, fixed, PROGRESSING,                 fixed",
        // the same probe: it holds, as before
        "ROLLED_BACK,                 wrong, wrong, ROLLED_BACK,                 wrong",
        "PAUSED by failure,           wrong, wrong, PAUSED,                      wrong",
        "FAILED,                      wrong, wrong, FAILED,                      wrong",
        // a record from before fingerprints adopts the manifest's without a retry (no churn on upgrade)
        "ROLLED_BACK,                 null,  fixed, ROLLED_BACK,                 fixed",
        "PAUSED by failure,           null,  fixed, PAUSED,                      fixed",
        // a rollback under way finishes first (here: v1 is whole again), keeping the fingerprint the
        // attempt failed with, so the pass after it tries v2 again
        "ROLLING_BACK,                wrong, fixed, ROLLED_BACK,                 wrong",
        "PAUSED rollback by operator, wrong, fixed, PAUSED,                      wrong",
        // an attempt that runs (or ran well) follows the manifest's probe, nothing restarts
        "PROGRESSING,                 wrong, fixed, PROGRESSING,                 fixed",
        "PAUSED by operator,          wrong, fixed, PAUSED,                      fixed",
        "COMPLETE,                    wrong, fixed, COMPLETE,                    fixed",
    })
    void aChangedHealthcheckRetriesAFailedAttemptOfTheSameRevision(String state, String recordProbe, String manifestProbe,
            RolloutState expected, String expectedProbe) {
        Map<String, HealthCheck> checks = Map.of("wrong", WRONG_PATH, "fixed", FIXED_PATH);
        RolloutRecord rec = attempt(state, recordProbe.equals("null") ? null : ProbeHash.of(checks.get(recordProbe)));
        container(1, 1, ContainerState.RUNNING, ReplicaHealth.State.READY);
        container(1, 2, ContainerState.RUNNING, ReplicaHealth.State.READY);
        Instant now = T0.plusSeconds(30);
        RolloutRecord r = decide(rec, rev(2, UpdatePolicy.FailureAction.ROLLBACK, checks.get(manifestProbe)), now);
        assertThat(r.state()).isEqualTo(expected);
        assertThat(r.probeHash()).isEqualTo(ProbeHash.of(checks.get(expectedProbe)));
        assertThat(r.toHash()).isEqualTo("h2");
        if (expected == RolloutState.PROGRESSING && rec.state() != RolloutState.PROGRESSING) {
            assertThat(r.startedAt()).as("a fresh progress deadline").isEqualTo(now);
            assertThat(r.failedHashes()).doesNotContain("h2");
            assertThat(r.targetHash()).isEqualTo("h2");
            assertThat(r.fromHash()).isEqualTo(state.equals("FAILED") ? null : "h1");
            assertThat(r.reason()).contains("healthcheck changed");
        } else if (expected != RolloutState.PROGRESSING) {
            assertThat(r.startedAt()).isEqualTo(rec.startedAt());
            assertThat(r.failedHashes()).isEqualTo(rec.failedHashes());
        }
    }

    @Test
    void theRetryIsJudgedByTheNewProbeNotByVerdictsOfTheOldOne() {
        // Paused by failure: the v2 replica is still there, unhealthy under the wrong path.
        RolloutRecord paused = attempt("PAUSED by failure", ProbeHash.of(WRONG_PATH));
        container(1, 1, ContainerState.RUNNING, ReplicaHealth.State.READY);
        container(2, 1, ContainerState.RUNNING, ReplicaHealth.State.UNHEALTHY);
        ResolvedService fixed = rev(2, UpdatePolicy.FailureAction.PAUSE, FIXED_PATH);
        RolloutRecord retried = decide(paused, fixed, T0.plusSeconds(300));
        assertThat(retried.state()).isEqualTo(RolloutState.PROGRESSING);
        // Next pass: the replica, probed with the fixed path, is ready; the retry goes on.
        health.put("c2-1", new ReplicaHealth(ReplicaHealth.State.READY, 0, T0.plusSeconds(301), null, null));
        assertThat(decide(retried, fixed, T0.plusSeconds(302)).state()).isEqualTo(RolloutState.PROGRESSING);
        // Had the new probe failed too, the attempt fails again — and holds: no retry loop.
        health.put("c2-1", new ReplicaHealth(ReplicaHealth.State.UNHEALTHY, 3, null, T0.plusSeconds(303), "HTTP 404"));
        RolloutRecord again = decide(retried, fixed, T0.plusSeconds(304));
        assertThat(again.state()).isEqualTo(RolloutState.PAUSED);
        assertThat(again.probeHash()).isEqualTo(ProbeHash.of(FIXED_PATH));
        assertThat(decide(again, fixed, T0.plusSeconds(900))).isEqualTo(again);
    }

    @Test
    void theProbeFingerprintIgnoresNothingThatMatters() {
        assertThat(ProbeHash.of(null)).isEqualTo(ProbeHash.NONE);
        assertThat(ProbeHash.of(WRONG_PATH)).isNotEqualTo(ProbeHash.of(FIXED_PATH)).isNotEqualTo(ProbeHash.NONE);
        HealthCheck moreRetries = new HealthCheck(HealthCheck.Kind.HTTP, "/healthz", 8080, 0, List.of(),
                Duration.ofSeconds(1), Duration.ofSeconds(1), 5, Duration.ZERO);
        assertThat(ProbeHash.of(moreRetries)).isNotEqualTo(ProbeHash.of(FIXED_PATH));
        assertThat(ProbeHash.of(new HealthCheck(HealthCheck.Kind.HTTP, "/healthz", 8080, 0, List.of(),
                Duration.ofMillis(1000), Duration.ofSeconds(1), 3, Duration.ZERO))).isEqualTo(ProbeHash.of(FIXED_PATH));
    }

    // ---- probation blames only the revision: someone else's stop is not a failure ----

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}: {1} v2 replica, stopped by someone else: {2} → {3}")
    @org.junit.jupiter.params.provider.CsvSource({
        "COMPLETE,    EXITED,  true,  COMPLETE",
        "COMPLETE,    DEAD,    true,  COMPLETE",
        "COMPLETE,    EXITED,  false, ROLLING_BACK",
        "PROGRESSING, EXITED,  true,  PROGRESSING",
        "PROGRESSING, EXITED,  false, ROLLING_BACK",
        // restarted since and now failing its probes: that is the revision's again
        "COMPLETE,    RUNNING, true,  ROLLING_BACK",
    })
    void aReplicaStoppedBySomeoneElseFailsNoRollout(String state, ContainerState replica, boolean byOthers,
            RolloutState expected) {
        RolloutRecord rec = state.equals("COMPLETE") ? progressing(1, 2).to(RolloutState.COMPLETE, T0, "ok")
                : progressing(1, 2);
        container(2, 1, ContainerState.RUNNING, ReplicaHealth.State.READY);
        container(2, 2, replica, replica == ContainerState.RUNNING ? ReplicaHealth.State.UNHEALTHY : null);
        if (byOthers) {
            stoppedByOthers.add("c2-2");
        }
        assertThat(decide(rec, rev(2), T0.plusSeconds(10)).state()).isEqualTo(expected);
    }

    /**
     * The engine refused to start a replica of the new revision (its store broke in an engine
     * restart, a network is gone): exit code 128 is the engine's. That blames the revision only
     * when the replica never ran — a user or command the image lacks fails a first start too.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}, ran before: {1} → {2}")
    @org.junit.jupiter.params.provider.CsvSource({
        "PROGRESSING, true,  PROGRESSING",
        "COMPLETE,    true,  COMPLETE",
        "PROGRESSING, false, ROLLING_BACK",
        "COMPLETE,    false, ROLLING_BACK",
    })
    void aStartTheEngineRefusedFailsTheRolloutOnlyForAReplicaThatNeverRan(String state, boolean ranBefore,
            RolloutState expected) {
        RolloutRecord rec = state.equals("COMPLETE") ? progressing(1, 2).to(RolloutState.COMPLETE, T0, "ok")
                : progressing(1, 2);
        container(2, 1, ContainerState.RUNNING, ReplicaHealth.State.READY);
        containers.add(new ObservedContainer("c2-2", "p-web-r2-2", "web", 2, "h2", 2, "web.yaml", ContainerState.EXITED,
                128, ranBefore ? T0.plusSeconds(1) : null, T0.plusSeconds(5), "sha256:2", 0, 0, Set.of("default"),
                Map.of(), "p-web-r2-2",
                "failed to update store for object type *libnetwork.endpoint: open : no such file or directory"));
        assertThat(decide(rec, rev(2), T0.plusSeconds(10)).state()).isEqualTo(expected);
    }
}
