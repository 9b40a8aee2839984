package dev.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.observed.ContainerState;
import dev.berth.observed.ObservedContainer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When a kept inspect may stand in for a new one, and when it must not. */
class InspectCacheTest {
    static final Instant T = Instant.parse("2026-12-03T12:00:00Z");
    static final ObservedContainer C = new ObservedContainer("id1", "p-web-r1-1-abcde", "web", 1, "h1", 1, "web.yaml",
            ContainerState.RUNNING, 0, T, null, "sha256:x", 0, 0, Set.of("default"), Map.of(), null);

    static InspectCache following() {
        InspectCache c = new InspectCache(Duration.ofSeconds(30));
        c.following();
        return c;
    }

    @Test
    void aKeptInspectStandsInWhileNothingHappened() {
        InspectCache c = following();
        c.put("id1", "running", C, c.mark(), T);
        assertThat(c.get("id1", "running", T.plusSeconds(29))).isEqualTo(C);
    }

    @Test
    void nothingIsKeptWithoutAnEventStream() {
        InspectCache c = new InspectCache(Duration.ofSeconds(30));
        c.put("id1", "running", C, c.mark(), T);
        assertThat(c.get("id1", "running", T)).isNull();
    }

    @Test
    void anEventAboutTheContainerMakesItStale() {
        InspectCache c = following();
        c.put("id1", "running", C, c.mark(), T);
        c.touched("id1");
        assertThat(c.get("id1", "running", T)).isNull();
    }

    @Test
    void anEventDuringTheInspectKeepsItsAnswerOut() {
        InspectCache c = following();
        long mark = c.mark();
        c.touched("id1"); // e.g. "die" while the inspect was on its way
        c.put("id1", "running", C, mark, T);
        assertThat(c.get("id1", "running", T)).isNull();
        long later = c.mark();
        c.put("id1", "running", C, later, T);
        assertThat(c.get("id1", "running", T)).isEqualTo(C);
    }

    @Test
    void aBreakOfTheStreamForgetsEverythingAndKeepsNothingBegunBeforeIt() {
        InspectCache c = following();
        c.put("id1", "running", C, c.mark(), T);
        long mark = c.mark();
        c.broken();
        assertThat(c.get("id1", "running", T)).isNull();
        c.following();
        c.put("id1", "running", C, mark, T);
        assertThat(c.get("id1", "running", T)).as("begun before the break").isNull();
    }

    @Test
    void anotherStateInTheListOrAnOldEntryIsInspectedAgain() {
        InspectCache c = following();
        c.put("id1", "running", C, c.mark(), T);
        assertThat(c.get("id1", "exited", T)).isNull();
        assertThat(c.get("id1", "running", T.plusSeconds(30))).isNull();
    }

    @Test
    void otherContainersAreUntouchedAndGoneOnesForgotten() {
        InspectCache c = following();
        c.put("id1", "running", C, c.mark(), T);
        c.touched("id2");
        assertThat(c.get("id1", "running", T)).isEqualTo(C);
        c.retain(Set.of());
        assertThat(c.get("id1", "running", T)).isNull();
    }
}
