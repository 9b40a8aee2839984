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
    static final Instant T = InspectCacheTest.T;
    static final ObservedState V = new ObservedState(List.of(InspectCacheTest.C), Map.of(), Map.of());

    final InspectCache stream = new InspectCache(Duration.ofSeconds(30));
    final ViewCache views = new ViewCache(stream, Duration.ofSeconds(30));

    ViewCacheTest() {
        stream.following();
    }

    @Test
    void theKeptViewStandsInWhileNothingHappened() {
        views.put(V, stream.mark(), T);
        assertThat(views.get(T.plusSeconds(29))).isSameAs(V);
    }

    @Test
    void nothingIsKeptWithoutAnEventStream() {
        InspectCache silent = new InspectCache(Duration.ofSeconds(30));
        ViewCache c = new ViewCache(silent, Duration.ofSeconds(30));
        c.put(V, silent.mark(), T);
        assertThat(c.get(T)).isNull();
    }

    @Test
    void anEventAboutAnyContainerMakesItStale() {
        views.put(V, stream.mark(), T);
        stream.touched("some-other-container");
        assertThat(views.get(T)).isNull();
    }

    @Test
    void aChangingCallOfBerthsOwnMakesItStale() {
        views.put(V, stream.mark(), T);
        stream.changed(); // e.g. a network made: no event Berth follows tells it
        assertThat(views.get(T)).isNull();
    }

    @Test
    void aChangeWhileTheListCallsRanKeepsTheirAnswerOut() {
        long mark = stream.mark();
        stream.changed(); // a worker's container started while the pass listed
        views.put(V, mark, T);
        assertThat(views.get(T)).isNull();
        views.put(V, stream.mark(), T);
        assertThat(views.get(T)).isSameAs(V);
    }

    @Test
    void aBreakOfTheStreamForgetsTheViewAndKeepsNoneUntilItFollowsAgain() {
        views.put(V, stream.mark(), T);
        stream.broken();
        assertThat(views.get(T)).isNull();
        views.put(V, stream.mark(), T);
        assertThat(views.get(T)).isNull();
        stream.following();
        views.put(V, stream.mark(), T);
        assertThat(views.get(T)).isSameAs(V);
    }

    @Test
    void aViewBegunBeforeTheStreamFollowedIsNotKept() {
        InspectCache late = new InspectCache(Duration.ofSeconds(30));
        ViewCache c = new ViewCache(late, Duration.ofSeconds(30));
        long mark = late.mark();
        late.following(); // events between the list and here were not seen
        c.put(V, mark, T);
        assertThat(c.get(T)).isNull();
    }

    @Test
    void theViewExpiresAfterItsMaximumAge() {
        views.put(V, stream.mark(), T);
        assertThat(views.get(T.plusSeconds(30))).isNull();
    }
}
