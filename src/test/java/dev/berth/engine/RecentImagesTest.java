package dev.berth.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentImagesTest {
    private final AtomicLong clock = new AtomicLong();
    private final RecentImages images = new RecentImages(Duration.ofSeconds(2), clock::get);
    private final List<String> asked = new ArrayList<>();

    private Optional<ImageInfo> inspect(String ref) {
        asked.add(ref);
        return ref.startsWith("gone") ? Optional.empty() : Optional.of(new ImageInfo("sha256:" + ref, List.of()));
    }

    @Test
    void aBurstOfCreatesAsksOncePerImageWithinTheAge() {
        for (int i = 0; i < 200; i++) {
            clock.addAndGet(Duration.ofMillis(5).toNanos());
            assertEquals("sha256:app:v1", images.get("app:v1", this::inspect).orElseThrow().id());
        }
        assertEquals(List.of("app:v1"), asked);
    }

    @Test
    void asksAgainOnceTheAnswerIsOld() {
        images.get("app:v1", this::inspect);
        clock.addAndGet(Duration.ofMillis(1999).toNanos());
        images.get("app:v1", this::inspect);
        clock.addAndGet(Duration.ofMillis(1).toNanos());
        images.get("app:v1", this::inspect);
        assertEquals(List.of("app:v1", "app:v1"), asked);
    }

    @Test
    void eachReferenceHasItsOwnAnswerAndAMissingImageIsAnAnswerToo() {
        images.get("app:v1", this::inspect);
        images.get("gone:v1", this::inspect);
        assertEquals(Optional.empty(), images.get("gone:v1", this::inspect));
        images.get("app:v2", this::inspect);
        assertEquals(List.of("app:v1", "gone:v1", "app:v2"), asked);
    }

    @Test
    void aFailureIsNotKept() {
        assertThrows(EngineException.class, () -> images.get("app:v1", ref -> {
            asked.add(ref);
            throw new EngineException("inspect image app:v1: timed out");
        }));
        images.get("app:v1", this::inspect);
        assertEquals(List.of("app:v1", "app:v1"), asked);
    }

    @Test
    void oldAnswersAreDroppedOnceManyReferencesWereSeen() {
        for (int i = 0; i < 300; i++) {
            images.get("app:" + i, this::inspect);
        }
        clock.addAndGet(Duration.ofSeconds(3).toNanos());
        images.get("app:new", this::inspect);
        assertEquals(1, images.size(), "only the fresh answer is left");
    }
}
