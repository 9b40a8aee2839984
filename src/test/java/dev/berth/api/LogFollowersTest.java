package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bound on followed log streams: full when every slot is taken, free again when one ends. */
class LogFollowersTest {
    @Test
    void slotsAreTakenAndGivenBack() {
        LogFollowers f = new LogFollowers(2);
        assertThat(f.full()).isFalse();
        assertThat(f.enter()).isTrue();
        assertThat(f.enter()).isTrue();
        assertThat(f.full()).isTrue();
        assertThat(f.enter()).as("a third follower while two read").isFalse();
        f.leave();
        assertThat(f.full()).isFalse();
        assertThat(f.enter()).isTrue();
    }
}
