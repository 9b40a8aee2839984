package dev.berth.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import dev.berth.plan.Fixtures;
import dev.berth.plan.ResolvedService;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
    @TempDir
    Path dir;

    static ResolvedService resolved(String hash, int revision) {
        return new ResolvedService(Fixtures.spec("web", 2), "img@sha256:x", "sha256:" + hash, "img@sha256:x", List.of(),
                hash, revision);
    }

    /** Gives out the number for {@code hash} and records it, as a pass does. */
    static int assign(StateStore s, String hash, Map<String, Integer> seen) {
        int n = s.revisionFor("web", hash, seen);
        s.record(resolved(hash, n), 10, Set.of());
        return n;
    }

    @Test
    void numbersRevisionsAndRemembersThemAcrossInstances() {
        StateStore s = new StateStore(dir);
        assertThat(assign(s, "aaa", Map.of())).isEqualTo(1);
        assertThat(assign(s, "bbb", Map.of())).isEqualTo(2);
        assertThat(assign(s, "aaa", Map.of())).isEqualTo(1);
        StateStore again = new StateStore(dir);
        assertThat(assign(again, "bbb", Map.of())).isEqualTo(2);
        assertThat(assign(again, "ccc", Map.of())).isEqualTo(3);
        // The full resolved revision survives, for rollbacks.
        assertThat(again.revision("web", "aaa").orElseThrow().resolved()).isEqualTo(resolved("aaa", 1));
    }

    @Test
    void adoptsRevisionNumbersSeenOnContainersWhenItsMemoryIsLost() {
        StateStore s = new StateStore(dir);
        assertThat(assign(s, "hhh", Map.of("hhh", 7, "old", 6))).isEqualTo(7);
        assertThat(assign(s, "new", Map.of("hhh", 7))).isEqualTo(8);
    }

    @Test
    void historyIsTrimmedToTheLimitButKeepsProtectedRevisionsAndNumberingContinues() {
        StateStore s = new StateStore(dir);
        for (int i = 1; i <= 15; i++) {
            int n = s.revisionFor("web", "h" + i, Map.of());
            s.record(resolved("h" + i, n), 10, Set.of("h1"));
        }
        assertThat(s.revisions("web")).hasSize(10).extracting(RevisionRecord::specHash).contains("h1", "h15")
                .doesNotContain("h2", "h6");
        assertThat(s.revisionFor("web", "next", Map.of())).isEqualTo(16);
    }

    @Test
    void aRevisionThatRanAgainIsTrimmedAfterOnesThatRanBefore() {
        StateStore s = new StateStore(dir);
        assign(s, "h1", Map.of());
        assign(s, "h2", Map.of());
        s.deployed("web", "h1", java.time.Instant.now().plusSeconds(60));
        int n = s.revisionFor("web", "h3", Map.of());
        s.record(resolved("h3", n), 2, Set.of());
        assertThat(s.revisions("web")).extracting(RevisionRecord::specHash).containsExactly("h1", "h3");
        assertThat(new StateStore(dir).revision("web", "h1").orElseThrow().deployedAt()).isNotNull();
    }

    @Test
    void rolloutAndOutcomesPersist() {
        StateStore s = new StateStore(dir);
        assign(s, "aaa", Map.of());
        RolloutRecord r = new RolloutRecord(RolloutState.ROLLING_BACK, "aaa", 1, "bbb", 2, java.time.Instant.parse(
                "2026-01-01T00:00:00Z"), null, "replica exited", Set.of("bbb"), null);
        s.rollout("web", r);
        s.outcome("web", "aaa", "Complete");
        StateStore again = new StateStore(dir);
        assertThat(again.rollout("web")).isEqualTo(r);
        assertThat(again.revision("web", "aaa").orElseThrow().outcome()).isEqualTo("Complete");
    }

    @Test
    void completedJobsPersistAndTheSaltIsPrivate() throws Exception {
        StateStore s = new StateStore(dir);
        s.markCompleted("job", "job/h/1");
        assertThat(new StateStore(dir).completedJobs("job")).containsExactly("job/h/1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("salt")))).isEqualTo("rw-------");
        assertThat(new StateStore(dir).salt()).isEqualTo(s.salt());
    }

    @Test
    void theProbeFingerprintPersistsAndAStateFileFromBeforeItStillLoads() throws Exception {
        StateStore s = new StateStore(dir);
        RolloutRecord r = new RolloutRecord(RolloutState.ROLLED_BACK, "aaa", 1, "bbb", 2, java.time.Instant.parse(
                "2026-01-01T00:00:00Z"), null, "restored", Set.of("bbb"), null, "0123456789abcdef");
        s.rollout("web", r);
        assertThat(new StateStore(dir).rollout("web")).isEqualTo(r);

        // A service file written before the field existed: no probeHash at all.
        Files.writeString(dir.resolve("services").resolve("old.json"), """
                {"revisions": [], "completedJobs": [], "restartGeneration": 0,
                 "rollout": {"state": "ROLLED_BACK", "fromHash": "aaa", "fromRevision": 1, "toHash": "bbb",
                             "toRevision": 2, "startedAt": "2026-01-01T00:00:00Z", "completedAt": null,
                             "reason": "restored", "failedHashes": ["bbb"], "pausedFrom": null}}
                """);
        RolloutRecord old = new StateStore(dir).rollout("old");
        assertThat(old.state()).isEqualTo(RolloutState.ROLLED_BACK);
        assertThat(old.failedHashes()).containsExactly("bbb");
        assertThat(old.probeHash()).isNull();
    }

    @Test
    void aKnownRevisionTakesTheManifestsHealthcheckAndKeepsItAcrossInstances() {
        StateStore s = new StateStore(dir);
        assign(s, "aaa", Map.of());
        dev.berth.desired.HealthCheck hc = new dev.berth.desired.HealthCheck(dev.berth.desired.HealthCheck.Kind.HTTP,
                "/fixed", 8080, 0, List.of(), java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1), 5,
                java.time.Duration.ZERO);
        ResolvedService before = resolved("aaa", 1);
        ResolvedService probedAnew = new ResolvedService(before.spec().withHealthcheck(hc), before.imageRef(),
                before.imageId(), before.imageDigest(), before.files(), "aaa", 1);
        s.record(probedAnew, 10, Set.of());
        RevisionRecord kept = new StateStore(dir).revision("web", "aaa").orElseThrow();
        assertThat(kept.resolved()).isEqualTo(probedAnew);
        assertThat(kept.revision()).isEqualTo(1);
        assertThat(s.revisions("web")).hasSize(1);
    }
}
