package dev.berth.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
    @TempDir
    Path dir;

    @Test
    void numbersRevisionsAndRemembersThemAcrossInstances() {
        StateStore s = new StateStore(dir);
        assertThat(s.revisionFor("web", "aaa", "img:1", null, Map.of()).revision()).isEqualTo(1);
        assertThat(s.revisionFor("web", "bbb", "img:2", null, Map.of()).revision()).isEqualTo(2);
        assertThat(s.revisionFor("web", "aaa", "img:1", null, Map.of()).revision()).isEqualTo(1);
        StateStore again = new StateStore(dir);
        assertThat(again.revisionFor("web", "bbb", "img:2", null, Map.of()).revision()).isEqualTo(2);
        assertThat(again.revisionFor("web", "ccc", "img:3", null, Map.of()).revision()).isEqualTo(3);
    }

    @Test
    void adoptsRevisionNumbersSeenOnContainersWhenItsMemoryIsLost() {
        StateStore s = new StateStore(dir);
        assertThat(s.revisionFor("web", "hhh", "img", null, Map.of("hhh", 7, "old", 6)).revision()).isEqualTo(7);
        assertThat(s.revisionFor("web", "new", "img", null, Map.of("hhh", 7)).revision()).isEqualTo(8);
    }

    @Test
    void historyIsBoundedAndNumberingContinues() {
        StateStore s = new StateStore(dir);
        for (int i = 0; i < StateStore.KEEP_REVISIONS + 5; i++) {
            s.revisionFor("web", "h" + i, "img", null, Map.of());
        }
        assertThat(s.revisions("web")).hasSize(StateStore.KEEP_REVISIONS);
        assertThat(s.revisionFor("web", "next", "img", null, Map.of()).revision()).isEqualTo(StateStore.KEEP_REVISIONS + 6);
    }

    @Test
    void completedJobsPersistAndTheSaltIsPrivate() throws Exception {
        StateStore s = new StateStore(dir);
        s.markCompleted("job", "job/h/1");
        assertThat(new StateStore(dir).completedJobs("job")).containsExactly("job/h/1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("salt")))).isEqualTo("rw-------");
        assertThat(new StateStore(dir).salt()).isEqualTo(s.salt());
    }
}
