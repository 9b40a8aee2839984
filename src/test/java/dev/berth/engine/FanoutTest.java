package dev.berth.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FanoutTest {

    @Test
    void answersInTheOrderAskedKeepingNulls() throws Exception {
        try (Fanout f = new Fanout(4, "t")) {
            List<Integer> in = IntStream.range(0, 50).boxed().toList();
            List<String> out = f.map(in, i -> {
                sleep((50 - i) % 7);
                return i % 5 == 0 ? null : "c" + i;
            });
            assertEquals(IntStream.range(0, 50).mapToObj(i -> i % 5 == 0 ? null : "c" + i).toList(), out);
        }
    }

    @Test
    void runsUpToItsWidthAtOnceAndNoMore() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch fourIn = new CountDownLatch(4);
        try (Fanout f = new Fanout(4, "t")) {
            f.map(IntStream.range(0, 40).boxed().toList(), i -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                fourIn.countDown();
                try {
                    // The first four wait for each other: with less than four at once this fails.
                    assertTrue(fourIn.await(10, TimeUnit.SECONDS), "four calls at once");
                    sleep(2);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                } finally {
                    running.decrementAndGet();
                }
                return i;
            });
        }
        assertEquals(4, most.get());
    }

    @Test
    void throwsTheFirstFailureInTheOrderAsked() throws Exception {
        IllegalStateException first = new IllegalStateException("first");
        try (Fanout f = new Fanout(4, "t")) {
            var thrown = assertThrows(IllegalStateException.class, () -> f.map(Arrays.asList(0, 1, 2, 3), i -> {
                if (i == 1) {
                    sleep(100); // fails last in time, first in order
                    throw first;
                }
                if (i == 2) {
                    throw new IllegalStateException("second");
                }
                return i;
            }));
            assertSame(first, thrown);
            // The pool is still usable after a failure.
            assertEquals(List.of(1, 2), f.map(List.of(1, 2), i -> i));
        }
    }

    @Test
    void aSingleCallRunsOnTheCallersThread() throws Exception {
        try (Fanout f = new Fanout(4, "t")) {
            assertEquals(List.of(Thread.currentThread().getName()), f.map(List.of(1), i -> Thread.currentThread().getName()));
            assertEquals(List.of(), f.map(List.<Integer>of(), i -> i));
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
