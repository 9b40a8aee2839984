package dev.berth.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import dev.berth.plan.Fixtures;
import dev.berth.desired.ResolvedService;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import dev.berth.rollout.RolloutRecord;
import dev.berth.rollout.RolloutState;
import dev.berth.files.AtomicFiles;

class StateStoreTest {
    @TempDir
    Path dir;

    static ResolvedService resolved(String hash, int revision) {
        return resolved("web", hash, revision);
    }

    static ResolvedService resolved(String service, String hash, int revision) {
        return new ResolvedService(Fixtures.spec(service, 2), "img@sha256:x", "sha256:" + hash, "img@sha256:x", List.of(),
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

    // ---- a state file that cannot be read isolates its service ----

    /** Every per-service call, reads and writes, as the reconciler makes them. */
    static final Map<String, Consumer<StateStore>> CALLS = Map.ofEntries(
            Map.entry("revisions", st -> st.revisions("web")),
            Map.entry("revision", st -> st.revision("web", "aaa")),
            Map.entry("revisionFor", st -> st.revisionFor("web", "zzz", Map.of())),
            Map.entry("record", st -> st.record(resolved("zzz", 9), 10, Set.of())),
            Map.entry("outcome", st -> st.outcome("web", "aaa", "Complete")),
            Map.entry("deployed", st -> st.deployed("web", "aaa", Instant.now())),
            Map.entry("rollout", st -> st.rollout("web")),
            Map.entry("setRollout", st -> st.rollout("web", null)),
            Map.entry("restartGeneration", st -> st.restartGeneration("web")),
            Map.entry("bumpRestartGeneration", st -> st.bumpRestartGeneration("web")),
            Map.entry("completedJobs", st -> st.completedJobs("web")),
            Map.entry("markCompleted", st -> st.markCompleted("web", "web/h/1")),
            Map.entry("restarts", st -> st.restarts("web")),
            Map.entry("restartsOf", st -> st.restarts("web", "web/aaa/1")),
            Map.entry("restarted", st -> st.restarted("web", "web/aaa/1", 4)),
            Map.entry("pruneRestarts", st -> st.pruneRestarts("web", Set.of())));

    /** Two services with history; returns the store. */
    private StateStore twoServices() {
        StateStore s = new StateStore(dir);
        assign(s, "aaa", Map.of());
        s.restarted("web", "web/aaa/1", 2);
        int n = s.revisionFor("api", "a1", Map.of());
        s.record(resolved("api", "a1", n), 10, Set.of());
        return s;
    }

    private Path webFile() {
        return dir.resolve("services/web.json");
    }

    @Test
    void aCorruptFileFailsEveryCallForItsServiceOnlyAndIsLeftUntouched() throws Exception {
        twoServices();
        byte[] corrupt = "{\"revisions\": [ {\"revision\": 1, ".getBytes(StandardCharsets.UTF_8);
        Files.write(webFile(), corrupt);
        FileTime mtime = Files.getLastModifiedTime(webFile());
        StateStore s = new StateStore(dir);

        CALLS.forEach((name, call) -> assertThatThrownBy(() -> call.accept(s)).as(name)
                .isInstanceOfSatisfying(StateUnreadable.class, e -> {
                    assertThat(e.service()).isEqualTo("web");
                    assertThat(e.file()).isEqualTo(webFile());
                    assertThat(e.getMessage()).contains(webFile().toString()).contains("line 1");
                }));
        // The other service reads and writes as before.
        assertThat(s.revisions("api")).extracting(RevisionRecord::specHash).containsExactly("a1");
        s.markCompleted("api", "api/a1/1");
        s.restarted("api", "api/a1/1", 1);
        assertThat(new StateStore(dir).completedJobs("api")).containsExactly("api/a1/1");
        // Listing and pruning skip it, and say why elsewhere.
        assertThat(s.services()).containsExactly("api");
        assertThat(s.unreadable()).containsOnlyKeys("web");
        assertThat(s.problem("web")).isPresent();
        assertThat(s.problem("api")).isEmpty();
        s.pruneRestarts(Set.of());
        assertThat(s.restarts("api")).isEmpty();
        // Not a byte changed, not even rewritten.
        assertThat(Files.readAllBytes(webFile())).isEqualTo(corrupt);
        assertThat(Files.getLastModifiedTime(webFile())).isEqualTo(mtime);
    }

    @Test
    void readsSeeAFileChangedOutsideBerthFromTheNextPassOnAndChangesSeeItAtOnce() throws Exception {
        twoServices();
        StateStore s = new StateStore(dir);
        s.beginPass();
        assertThat(s.revisions("web")).hasSize(1);
        Files.write(webFile(), "garbage".getBytes(StandardCharsets.UTF_8));
        // Within the pass a read answers from what the pass checked (one stat per file and pass) …
        assertThat(s.revisions("web")).hasSize(1);
        // … but a change checks the file first and never overwrites it.
        assertThatThrownBy(() -> s.markCompleted("web", "web/aaa/1")).isInstanceOf(StateUnreadable.class);
        assertThat(Files.readString(webFile())).isEqualTo("garbage");
        s.beginPass();
        assertThatThrownBy(() -> s.revisions("web")).isInstanceOf(StateUnreadable.class);
    }

    @Test
    void aChangeThatChangesNothingDoesNotLookAtTheFileAgainWithinThePass() throws Exception {
        twoServices();
        StateStore s = new StateStore(dir);
        s.beginPass();
        RolloutRecord r = s.rollout("web");
        Set<String> done = s.completedJobs("web");
        Map<String, Integer> restarts = s.restarts("web");
        Files.write(webFile(), "garbage".getBytes(StandardCharsets.UTF_8));
        // Nothing to write: answered from what the pass checked (one stat per file and pass).
        s.rollout("web", r);
        done.forEach(job -> s.markCompleted("web", job));
        restarts.forEach((replica, n) -> s.restarted("web", replica, n));
        s.restarted("web", "web/never-restarted", 0);
        s.pruneRestarts("web", restarts.keySet());
        assertThat(Files.readString(webFile())).isEqualTo("garbage");
        // Something to write: the file is checked first, and never overwritten.
        assertThatThrownBy(() -> s.restarted("web", "web/never-restarted", 1)).isInstanceOf(StateUnreadable.class);
        assertThat(Files.readString(webFile())).isEqualTo("garbage");
    }

    @Test
    void fixingTheFileRecoversWithoutANewStore() throws Exception {
        twoServices();
        byte[] good = Files.readAllBytes(webFile());
        StateStore s = new StateStore(dir);
        assertThat(s.revisions("web")).hasSize(1);
        // Broken behind the store's back, after it cached the service: it notices, and does not overwrite it.
        Files.write(webFile(), "garbage".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> s.markCompleted("web", "web/aaa/1")).isInstanceOf(StateUnreadable.class);
        assertThat(Files.readString(webFile())).isEqualTo("garbage");

        Files.write(webFile(), good);
        assertThat(s.revision("web", "aaa").orElseThrow().revision()).isEqualTo(1);
        assertThat(s.restarts("web", "web/aaa/1")).isEqualTo(2);
        s.markCompleted("web", "web/aaa/1");
        assertThat(new StateStore(dir).completedJobs("web")).containsExactly("web/aaa/1");
        assertThat(s.services()).containsExactly("api", "web");
    }

    @Test
    void deletingTheFileForgetsTheServiceWhichIsThenAdoptedFromLabels() throws Exception {
        twoServices();
        StateStore s = new StateStore(dir);
        Files.write(webFile(), new byte[0]);
        assertThatThrownBy(() -> s.revisions("web")).isInstanceOf(StateUnreadable.class);

        Files.delete(webFile());
        assertThat(s.problem("web")).isEmpty();
        assertThat(s.revisions("web")).isEmpty();
        assertThat(s.restarts("web")).isEmpty();
        assertThat(s.rollout("web")).isNull();
        // As after a lost state directory: numbers come from the containers' labels.
        assertThat(assign(s, "bbb", Map.of("bbb", 5))).isEqualTo(5);
        assertThat(new StateStore(dir).revisions("web")).extracting(RevisionRecord::revision).containsExactly(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "null", "[]", "{\"revisions\": 3}", "{\"revisions\": [null]}",
            "{\"revisions\": [{\"revision\": 1}]}", "{\"rollout\": {\"state\": \"NO_SUCH_STATE\"}}",
            "{\"restarts\": {\"web/a/1\": \"many\"}}", "\u0000\u0000\u0000"})
    void whatCountsAsUnreadable(String content) throws Exception {
        StateStore s = new StateStore(dir);
        Files.writeString(webFile(), content);
        assertThatThrownBy(() -> s.revisions("web")).isInstanceOfSatisfying(StateUnreadable.class,
                e -> assertThat(e.reason()).isNotBlank());
        assertThat(s.unreadable()).containsOnlyKeys("web");
        assertThat(Files.readString(webFile())).isEqualTo(content);
    }

    @Test
    void aDirectoryOrAnUnreadableFileInItsPlaceIsUnreadableToo() throws Exception {
        StateStore s = new StateStore(dir);
        Files.createDirectory(webFile());
        assertThatThrownBy(() -> s.revisions("web")).isInstanceOfSatisfying(StateUnreadable.class,
                e -> assertThat(e.reason()).isEqualTo("not a regular file"));
        assertThat(s.services()).isEmpty();
    }

    @Test
    void filesWrittenBeforeRestartCountsExistedStillRead() throws Exception {
        StateStore s = new StateStore(dir);
        Files.writeString(webFile(), "{\"revisions\": [], \"completedJobs\": [\"web/h/1\"], \"rollout\": null,"
                + " \"restartGeneration\": 2}");
        assertThat(s.restarts("web")).isEmpty();
        assertThat(s.restartGeneration("web")).isEqualTo(2);
        assertThat(s.completedJobs("web")).containsExactly("web/h/1");
    }

    // ---- restart counts ----

    @Test
    void restartCountsSurviveANewStoreAndArePrunedWithTheirContainers() {
        StateStore s = new StateStore(dir);
        s.restarted("web", "web/aaa/1", 1);
        s.restarted("web", "web/aaa/1", 3);
        s.restarted("web", "web/aaa/2", 1);
        s.restarted("api", "api/a1/1", 7);
        StateStore again = new StateStore(dir);
        assertThat(again.restarts("web", "web/aaa/1")).isEqualTo(3);
        assertThat(again.restarts("web", "web/zzz/1")).isZero();
        assertThat(again.restarts("web")).isEqualTo(Map.of("web/aaa/1", 3, "web/aaa/2", 1));

        again.restarted("web", "web/aaa/2", 0);
        assertThat(new StateStore(dir).restarts("web")).containsOnlyKeys("web/aaa/1");
        // Keys of containers that no longer exist go, for every service (also ones no manifest names).
        again.pruneRestarts(Set.of("api/a1/1"));
        StateStore third = new StateStore(dir);
        assertThat(third.restarts("web")).isEmpty();
        assertThat(third.restarts("api")).isEqualTo(Map.of("api/a1/1", 7));
    }

    @Test
    void anUnchangedCountOrNothingToPruneWritesNothing() throws Exception {
        StateStore s = new StateStore(dir);
        s.restarted("web", "web/aaa/1", 2);
        Files.setLastModifiedTime(webFile(), FileTime.fromMillis(0));
        // A new instance, so the changed mtime is not taken for an edit made by hand.
        StateStore again = new StateStore(dir);
        again.restarted("web", "web/aaa/1", 2);
        again.restarted("web", "web/zzz/1", 0);
        again.pruneRestarts("web", Set.of("web/aaa/1", "web/aaa/2"));
        assertThat(Files.getLastModifiedTime(webFile())).isEqualTo(FileTime.fromMillis(0));
    }

    // ---- crash leftovers ----

    @Test
    void tempFilesAnInterruptedWriteLeftAreRemovedAndNeverReadAsServices() throws Exception {
        twoServices();
        Path leftover = dir.resolve("services/.web.json4711.tmp");
        Files.writeString(leftover, "{\"revisions\": [ {");
        Path saltLeftover = dir.resolve(".salt815.tmp");
        Files.write(saltLeftover, new byte[3]);
        Path other = dir.resolve("services/web.json.broken");
        Files.writeString(other, "kept by the operator");

        StateStore s = new StateStore(dir);
        assertThat(leftover).doesNotExist();
        assertThat(saltLeftover).doesNotExist();
        assertThat(other).hasContent("kept by the operator");
        assertThat(s.services()).containsExactly("api", "web");
        assertThat(s.revisions("web")).hasSize(1);
        try (var files = Files.list(dir.resolve("services"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("api.json", "web.json",
                    "web.json.broken");
        }
    }

    @Test
    void stateFilesArePrivateAndEveryWriteLeavesNoTempFile() throws Exception {
        StateStore s = twoServices();
        for (int i = 0; i < 20; i++) {
            s.restarted("web", "web/aaa/1", i + 1);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(webFile()))).isEqualTo("rw-------");
        assertThat(new StateStore(dir).restarts("web", "web/aaa/1")).isEqualTo(20);
        try (var files = Files.list(dir.resolve("services"))) {
            assertThat(files.filter(AtomicFiles::isTempFile)).isEmpty();
        }
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

    @Test
    void aFailedWriteIsReportedLeavesTheOldFileAndClearsWhenTheDirectoryIsWritableAgain() throws Exception {
        StateStore s = new StateStore(dir);
        assign(s, "aaa", Map.of());
        assertThat(s.writeProblem()).isEmpty();
        byte[] before = Files.readAllBytes(s.file("web"));
        // As root, permissions do not stop writes, but an immutable directory does: no entry can
        // be created in it (the temp file), while the files in it still read.
        Path services = s.file("web").getParent();
        org.junit.jupiter.api.Assumptions.assumeTrue(chattr("+i", services), "chattr +i works here");
        try {
            assertThatThrownBy(() -> assign(s, "bbb", Map.of())).isInstanceOf(java.io.UncheckedIOException.class);
            assertThat(s.writeProblem()).hasValueSatisfying(p -> assertThat(p).contains("cannot write state of web")
                    .contains(services.toString()));
            assertThat(s.writeProblem()).as("still failing: still reported").isPresent();
            assertThat(Files.readAllBytes(s.file("web"))).as("the old file is untouched").isEqualTo(before);
        } finally {
            chattr("-i", services);
        }
        assertThat(s.writeProblem()).as("recovers by itself once writable").isEmpty();
        assertThat(Files.readAllBytes(s.file("web"))).as("the old file is untouched").isEqualTo(before);
        assertThat(new StateStore(dir).revisions("web")).extracting(RevisionRecord::revision).containsExactly(1);
        assertThat(assign(s, "bbb", Map.of())).isEqualTo(2);
    }

    @Test
    void heldChangesAreReadAtOnceAndWrittenTogetherAtTheCommit() throws Exception {
        StateStore s = new StateStore(dir);
        s.hold();
        assign(s, "aaa", Map.of());
        s.rollout("web", new RolloutRecord(RolloutState.PROGRESSING, null, 0, "aaa", 1, Instant.parse("2026-01-01T00:00:00Z"),
                null, "first deployment", Set.of(), null, "none"));
        s.record(resolved("api", "bbb", 1), 10, Set.of());
        assertThat(s.revisions("web")).extracting(RevisionRecord::revision).containsExactly(1);
        assertThat(s.file("web")).as("nothing written before the commit").doesNotExist();
        assertThat(s.file("api")).doesNotExist();

        s.commit();
        StateStore again = new StateStore(dir);
        assertThat(again.revisions("web")).extracting(RevisionRecord::revision).containsExactly(1);
        assertThat(again.rollout("web").toHash()).isEqualTo("aaa");
        assertThat(again.revisions("api")).extracting(RevisionRecord::revision).containsExactly(1);
        assertThat(Files.list(s.file("web").getParent()).map(p -> p.getFileName().toString()))
                .as("no temp file left").containsExactlyInAnyOrder("web.json", "api.json");
        // The hold has ended: the next change is written at once.
        assign(s, "ccc", Map.of());
        assertThat(new StateStore(dir).revisions("web")).extracting(RevisionRecord::revision).containsExactly(1, 2);
    }

    @Test
    void anotherThreadsChangeDuringTheHoldIsWrittenAtOnceWithWhatIsHeld() throws Exception {
        StateStore s = new StateStore(dir);
        s.hold();
        assign(s, "aaa", Map.of());
        Thread worker = new Thread(() -> s.deployed("web", "aaa", Instant.parse("2026-01-01T00:00:00Z")));
        worker.start();
        worker.join();
        RevisionRecord onDisk = new StateStore(dir).revision("web", "aaa").orElseThrow();
        assertThat(onDisk.lastActive()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        s.commit();
        assertThat(new StateStore(dir).revision("web", "aaa").orElseThrow()).isEqualTo(onDisk);
    }

    @Test
    void aFileChangedOutsideBerthDuringTheHoldIsNotOverwritten() throws Exception {
        StateStore s = new StateStore(dir);
        assign(s, "aaa", Map.of());
        s.hold();
        assign(s, "bbb", Map.of());
        byte[] edited = Files.readAllBytes(s.file("web"));
        Files.write(s.file("web"), new String(edited, java.nio.charset.StandardCharsets.UTF_8).replace("\"revisions\"",
                "\"revisions\" ").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] outside = Files.readAllBytes(s.file("web"));
        s.commit();
        assertThat(Files.readAllBytes(s.file("web"))).as("the outside edit stands").isEqualTo(outside);
        s.beginPass();
        assertThat(s.revisions("web")).extracting(RevisionRecord::revision).containsExactly(1);
    }

    @Test
    void aFileThatCannotBeLookedAtDuringTheHoldLosesNoOtherServicesChange() throws Exception {
        StateStore s = new StateStore(dir);
        assign(s, "aaa", Map.of());
        s.hold();
        assign(s, "bbb", Map.of());
        s.record(resolved("api", "ccc", 1), 10, Set.of());
        Files.delete(s.file("web"));
        Files.createDirectory(s.file("web"));
        s.commit();
        assertThat(s.file("web")).isDirectory();
        assertThat(new StateStore(dir).revisions("api")).extracting(RevisionRecord::revision).containsExactly(1);
    }

    @Test
    void aFailedCommitIsReportedAndForgetsWhatItHeld() throws Exception {
        StateStore s = new StateStore(dir);
        assign(s, "aaa", Map.of());
        byte[] before = Files.readAllBytes(s.file("web"));
        Path services = s.file("web").getParent();
        org.junit.jupiter.api.Assumptions.assumeTrue(chattr("+i", services), "chattr +i works here");
        try {
            s.hold();
            assign(s, "bbb", Map.of());
            assertThatThrownBy(s::commit).isInstanceOf(java.io.UncheckedIOException.class);
            assertThat(s.writeProblem()).isPresent();
            assertThat(Files.readAllBytes(s.file("web"))).isEqualTo(before);
            assertThat(s.revisions("web")).as("read from the file again").extracting(RevisionRecord::revision)
                    .containsExactly(1);
        } finally {
            chattr("-i", services);
        }
    }

    private static boolean chattr(String flag, Path p) {
        try {
            return new ProcessBuilder("chattr", flag, p.toString()).redirectErrorStream(true).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
