package dev.berth.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RevisionOutcomeTest {

    @ParameterizedTest(name = "\"{0}\" → {1}, ran well {2}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            Complete                                   | COMPLETE   | true
            Superseded                                 | SUPERSEDED | true
            Restored by rollback                       | RESTORED   | true
            Failed: progress deadline of 60s exceeded  | FAILED     | false
            Progressing                                | null       | false
            null                                       | null       | false
            """)
    void storedTextsReadBack(String text, RevisionOutcome outcome, boolean ranWell) {
        RevisionOutcome o = RevisionOutcome.parse(text);
        assertThat(o).isEqualTo(outcome);
        assertThat(o != null && o.ranWell()).isEqualTo(ranWell);
    }

    @Test
    void aFailureCarriesItsReasonAndReadsBack() {
        String text = RevisionOutcome.FAILED.text("replica web-r2-1 exited with code 3");
        assertThat(text).isEqualTo("Failed: replica web-r2-1 exited with code 3");
        assertThat(RevisionOutcome.parse(text)).isEqualTo(RevisionOutcome.FAILED);
        assertThat(RevisionOutcome.RESTORED.text("ignored")).isEqualTo("Restored by rollback");
    }

    @Test
    void transitionsReadAsTheLogShowsThem() {
        Transition t = new Transition(RolloutState.PROGRESSING, RolloutState.ROLLING_BACK, "replica unhealthy");
        assertThat(t).hasToString("PROGRESSING → ROLLING_BACK: replica unhealthy");
        assertThat(t.isWarning()).isTrue();
        assertThat(t.eventReason()).isEqualTo("RollingBack");
        Transition first = new Transition(null, RolloutState.PROGRESSING, "first deployment");
        assertThat(first).hasToString("(new) → PROGRESSING: first deployment");
        assertThat(first.isWarning()).isFalse();
        assertThat(first.eventReason()).isEqualTo("RolloutStarted");
    }
}
