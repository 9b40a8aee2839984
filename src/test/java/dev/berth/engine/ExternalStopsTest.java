package dev.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Which containers someone else stopped, from event sequences as the engine emits them. */
class ExternalStopsTest {
    static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

    /**
     * Each row: events for container "c" one second apart ("own" = Berth announced its own
     * removal first, "+Ns" = N seconds pass), then whether "c" counts as stopped by someone else.
     */
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
        // docker stop: kill (SIGTERM), die, stop
        "start kill die stop                | true",
        // docker kill: kill (SIGKILL), die
        "start kill die                     | true",
        // docker rm -f: kill, die, destroy
        "start kill die destroy             | true",
        // a pass may look between the kill and the die: already marked
        "start kill                         | true",
        // the process exits on its own: only die
        "start die                          | false",
        // an OOM kill: oom, die — the revision's, even if someone sent a signal too
        "start oom die                      | false",
        "start kill oom die                 | false",
        "start oom kill die                 | false",
        // Berth's own removal
        "start own kill die stop destroy    | false",
        // stopped by someone else, then started again (repaired): judged afresh
        "start kill die stop start          | false",
        "start kill die start die           | false",
        // docker kill -s HUP, which the process survived; it exits on its own much later
        "start kill +300s die               | false",
        // a graceful stop that takes a while is still the stop's doing
        "start kill +50s die stop           | true",
        // marks are forgotten after a while
        "start kill die +700s               | false",
    })
    void tellsSomeoneElsesStopFromTheRevisionsOwnExit(String events, boolean stoppedByOthers) {
        ExternalStops stops = new ExternalStops();
        Instant t = T0;
        for (String e : events.trim().split("\\s+")) {
            t = t.plusSeconds(1);
            if (e.startsWith("+")) {
                t = t.plusSeconds(Long.parseLong(e.substring(1, e.length() - 1)));
            } else if (e.equals("own")) {
                stops.own("c", t);
            } else {
                stops.onEvent(e, "c", Map.of("name", "p-web-r2-1", "signal", "15", Labels.SERVICE, "web",
                        Labels.REVISION, "2"), t);
            }
        }
        assertThat(stops.ids(t).contains("c")).isEqualTo(stoppedByOthers);
    }

    @Test
    void tellsOnceWhoWasStoppedAndHow() {
        ExternalStops stops = new ExternalStops();
        List<ExternalStops.Stop> told = new ArrayList<>();
        stops.listen(told::add);
        Map<String, String> attrs = Map.of("name", "p-web-r2-1", Labels.SERVICE, "web", Labels.REVISION, "2");
        stops.onEvent("kill", "c", Map.of("name", "p-web-r2-1", "signal", "15", Labels.SERVICE, "web",
                Labels.REVISION, "2"), T0);
        stops.onEvent("die", "c", attrs, T0.plusSeconds(1));
        stops.onEvent("stop", "c", attrs, T0.plusSeconds(1));
        stops.onEvent("kill", "other", Map.of(), T0.plusSeconds(2));
        assertThat(told).hasSize(2);
        ExternalStops.Stop s = told.get(0);
        assertThat(s.service()).isEqualTo("web");
        assertThat(s.revision()).isEqualTo(2);
        assertThat(s.describe()).contains("p-web-r2-1").contains("stopped by someone else (kill signal=15)");
        assertThat(stops.ids(T0.plusSeconds(3))).containsExactlyInAnyOrder("c", "other");
    }
}
