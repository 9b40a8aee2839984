package dev.berth.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Swarm's UpdateStatus, seen by two passes in turn, as rollout counters. Start times: T1, T2 (seconds). */
class SwarmRolloutsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # why                                         | was state         | was at | now state          | now at | counters
            first look: nothing                           | -                 | -      | completed          | 1      | ''
            nothing changed                               | updating          | 1      | updating           | 1      | ''
            an update starts                              | completed         | 1      | updating           | 2      | started
            ...and completes                              | updating          | 2      | completed          | 2      | succeeded
            one that began and ended between two passes   | completed         | 1      | completed          | 2      | started succeeded
            a new update during one                       | updating          | 1      | updating           | 2      | started
            paused on failure                             | updating          | 2      | paused             | 2      | failed
            Swarm rolls back                              | updating          | 2      | rollback_started   | 3      | failed
            ...and has rolled back (the mark counts that)  | rollback_started  | 3      | rollback_completed | 3      | ''
            rolled back between two passes                | updating          | 2      | rollback_completed | 3      | failed
            a rollback that fails pauses: counted once    | rollback_started  | 3      | rollback_paused    | 3      | ''
            a service never updated                       | ''                | -      | ''                 | -      | ''
            """)
    void counters(String why, String wasState, Long wasAt, String nowState, Long nowAt, String expected) {
        SwarmRollouts.Seen was = wasState == null ? null : new SwarmRollouts.Seen(wasState, at(wasAt));
        SwarmRollouts.Seen now = new SwarmRollouts.Seen(nowState, at(nowAt));
        assertThat(String.join(" ", SwarmRollouts.results(was, now))).as(why).isEqualTo(expected);
    }

    private static Instant at(Long seconds) {
        return seconds == null ? null : Instant.ofEpochSecond(seconds);
    }
}
