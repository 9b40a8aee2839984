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

    static dev.berth.observed.ObservedContainer exited(String id, Instant finished) {
        return new dev.berth.observed.ObservedContainer(id, "p-web-r2-1", "web", 2, "h2", 1, "web.yaml",
                dev.berth.observed.ContainerState.EXITED, 143, finished.minusSeconds(60), finished, "sha256:2", 0, 0,
                java.util.Set.of("default"), Map.of());
    }

    /**
     * Each row: seconds after T0 when the container exited; the event stream broke at T0+10 and
     * followed again at T0+40 (an engine restart). Exits in the gap (or 2 s before it) are not the
     * revision's: no event could tell who stopped them.
     */
    @ParameterizedTest(name = "exited at +{0}s → excused {1}")
    @CsvSource({"5, false", "8, true", "10, true", "25, true", "40, true", "41, false", "100, false"})
    void anExitWhileTheEventStreamWasBrokenBlamesNoRevision(int exitedAt, boolean excused) {
        ExternalStops stops = new ExternalStops();
        stops.streamFollowing(T0); // the first connection: no gap
        stops.streamBroken(T0.plusSeconds(10));
        stops.streamBroken(T0.plusSeconds(12)); // every failed reconnection reports the break again
        stops.streamFollowing(T0.plusSeconds(40));
        var c = exited("c", T0.plusSeconds(exitedAt));
        assertThat(stops.ids(List.of(c), T0.plusSeconds(120)).contains("c")).isEqualTo(excused);
        assertThat(stops.ids(T0.plusSeconds(120))).isEmpty();
    }

    @Test
    void whileTheStreamIsStillBrokenEveryExitSinceCountsAsInTheGap() {
        ExternalStops stops = new ExternalStops();
        stops.streamBroken(T0);
        assertThat(stops.ids(List.of(exited("c", T0.plusSeconds(30))), T0.plusSeconds(31))).containsExactly("c");
    }

    @Test
    void aRunningContainerAndAnOldGapExcuseNothing() {
        ExternalStops stops = new ExternalStops();
        stops.streamBroken(T0);
        stops.streamFollowing(T0.plusSeconds(5));
        var running = new dev.berth.observed.ObservedContainer("r", "p-web-r2-2", "web", 2, "h2", 2, "web.yaml",
                dev.berth.observed.ContainerState.RUNNING, 0, T0.minusSeconds(60), T0.plusSeconds(3), "sha256:2", 0, 0,
                java.util.Set.of("default"), Map.of());
        assertThat(stops.ids(List.of(running), T0.plusSeconds(6))).isEmpty();
        // Gaps are forgotten after REMEMBER, as marks are.
        Instant later = T0.plusSeconds(5).plus(ExternalStops.REMEMBER).plusSeconds(1);
        assertThat(stops.ids(List.of(exited("c", T0.plusSeconds(3))), later)).isEmpty();
    }
}
