package dev.berth.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.rollout.KeptRevision;
import dev.berth.rollout.RevisionOutcome;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The view of a stored revision that the rollout commands get. */
class RevisionRecordTest {
    static final Instant CREATED = Instant.parse("2026-01-01T12:00:00Z");
    static final Instant DEPLOYED = CREATED.plusSeconds(600);

    @Test
    void keptCarriesNumberHashOutcomeAndWhenItLastRan() {
        RevisionRecord r = new RevisionRecord(3, "h3", "img", null, CREATED, StateStoreTest.resolved("h3", 3),
                "Failed: unhealthy");
        assertThat(r.kept()).isEqualTo(new KeptRevision(3, "h3", true, RevisionOutcome.FAILED, CREATED));
        assertThat(r.kept().ranWell()).isFalse();
        assertThat(r.deployed(DEPLOYED).kept().lastActive()).isEqualTo(DEPLOYED);
    }

    @Test
    void aRecordWithoutItsResolvedRevisionIsNotRestorable() {
        RevisionRecord r = new RevisionRecord(1, "h1", "img", null, CREATED, null, "Complete");
        assertThat(r.kept().restorable()).isFalse();
        assertThat(r.kept().ranWell()).isTrue();
    }

    @Test
    void anUnknownOutcomeNeverRanWell() {
        RevisionRecord r = new RevisionRecord(1, "h1", "img", null, CREATED, StateStoreTest.resolved("h1", 1), null);
        assertThat(r.kept().outcome()).isNull();
        assertThat(r.kept().ranWell()).isFalse();
    }
}
