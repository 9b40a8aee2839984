package dev.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.observed.ObservedState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the last whole view may stand in for asking the engine, and when it must not. */
class ViewCacheTest {
    static final Instant T = Instant.parse("2026-12-03T12:00:00Z");
    static final ObservedState V = new ObservedState(List.of(InspectCacheTest.C), Map.of(), Map.of());

    static ViewCache following() {
        ViewCache c = new ViewCache(Duration.ofSeconds(30));
        c.following();
        return c;
    }

    @Test
    void theKeptViewStandsInWhileNothingHappened() {
        ViewCache c = following();
        c.put(V, c.mark(), T);
        assertThat(c.get(T.plusSeconds(29))).isSameAs(V);
    }

    @Test
    void nothingIsKeptWithoutAnEventStream() {
        ViewCache c = new ViewCache(Duration.ofSeconds(30));
        c.put(V, c.mark(), T);
        assertThat(c.get(T)).isNull();
    }

    @Test
    void anEventOrAChangingCallOfBerthsOwnMakesItStale() {
        ViewCache c = following();
        c.put(V, c.mark(), T);
        c.changed();
        assertThat(c.get(T)).isNull();
    }

    @Test
    void aChangeWhileTheListCallsRanKeepsTheirAnswerOut() {
        ViewCache c = following();
        long mark = c.mark();
        c.changed(); // a worker's container started while the pass listed
        c.put(V, mark, T);
        assertThat(c.get(T)).isNull();
        c.put(V, c.mark(), T);
        assertThat(c.get(T)).isSameAs(V);
    }

    @Test
    void aBreakOfTheStreamForgetsTheViewAndKeepsNoneUntilItFollowsAgain() {
        ViewCache c = following();
        c.put(V, c.mark(), T);
        c.broken();
        assertThat(c.get(T)).isNull();
        c.put(V, c.mark(), T);
        assertThat(c.get(T)).isNull();
        c.following();
        c.put(V, c.mark(), T);
        assertThat(c.get(T)).isSameAs(V);
    }

    @Test
    void aViewBegunBeforeTheStreamFollowedIsNotKept() {
        ViewCache c = new ViewCache(Duration.ofSeconds(30));
        long mark = c.mark();
        c.following(); // events between the list and here were not seen
        c.put(V, mark, T);
        assertThat(c.get(T)).isNull();
    }

    @Test
    void theViewExpiresAfterItsMaximumAge() {
        ViewCache c = following();
        c.put(V, c.mark(), T);
        assertThat(c.get(T.plusSeconds(30))).isNull();
    }
}
