package dev.berth.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LatestOnlyTest {
    private final List<Integer> ran = new CopyOnWriteArrayList<>();

    @Test
    void valuesHandedDuringARunCoalesceIntoOneMoreRunWithTheLast() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LatestOnly<Integer> pins = new LatestOnly<>("test-pins", v -> {
            ran.add(v);
            if (v == 1) {
                running.countDown();
                hold(release);
            }
        });
        pins.offer(1);
        assertTrue(running.await(10, TimeUnit.SECONDS));
        for (int i = 2; i <= 100; i++) {
            pins.offer(i);
        }
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains(100));
        Thread.sleep(100); // nothing else may follow
        assertEquals(List.of(1, 100), ran);
    }

    @Test
    void offerReturnsAtOnceWhileTheActionRuns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        LatestOnly<Integer> slow = new LatestOnly<>("test-slow", v -> hold(release));
        long t = System.nanoTime();
        slow.offer(1);
        slow.offer(2);
        assertTrue(System.nanoTime() - t < TimeUnit.SECONDS.toNanos(5), "offer waited for the action");
        release.countDown();
    }

    @Test
    void anActionThatThrowsDoesNotStopLaterValues() {
        LatestOnly<Integer> flaky = new LatestOnly<>("test-flaky", v -> {
            ran.add(v);
            if (v == 1) {
                throw new IllegalStateException("engine said no");
            }
        });
        flaky.offer(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains(1));
        flaky.offer(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains(2));
    }

    private static void hold(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
