package dev.berth.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventCheckpointTest {
    private static final Instant START = Instant.ofEpochSecond(1_700_000_000L, 5);

    @Test
    void firstSubscriptionStartsNowAndLaterOnesAtTheNewestEvent() {
        EventCheckpoint c = new EventCheckpoint();
        assertEquals("1700000000.000000005", c.since(START));
        assertTrue(c.advance(1_700_000_001_250_000_000L, 1_700_000_001L));
        // a reconnection much later still starts at the newest event seen, not at "now"
        assertEquals("1700000001.250000000", c.since(START.plusSeconds(60)));
    }

    @Test
    void eventsReplayedFromTheCheckpointAreHandedOnOnce() {
        EventCheckpoint c = new EventCheckpoint();
        c.since(START);
        long t1 = 1_700_000_002_000_000_001L;
        long t2 = t1 + 1;
        assertTrue(c.advance(t1, null));
        assertTrue(c.advance(t2, null));
        // the renewed stream replays from the checkpoint (inclusive)
        assertFalse(c.advance(t1, null));
        assertFalse(c.advance(t2, null));
        assertTrue(c.advance(t2 + 1, null));
    }

    @Test
    void eventsBeforeTheFirstSubscriptionAreOld() {
        EventCheckpoint c = new EventCheckpoint();
        c.since(START);
        assertFalse(c.advance(START.getEpochSecond() * 1_000_000_000L, null));
    }

    @Test
    void secondsServeWhenTheEngineGivesNoNanosecondsAndNoTimeIsHandedOn() {
        EventCheckpoint c = new EventCheckpoint();
        c.since(START);
        assertTrue(c.advance(null, 1_700_000_010L));
        assertEquals("1700000010.000000000", c.since(START));
        assertFalse(c.advance(0L, 1_700_000_010L));
        assertTrue(c.advance(null, null));
    }
}
