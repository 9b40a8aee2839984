package dev.berth.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServiceWorkersTest {
    private final List<String> woken = new CopyOnWriteArrayList<>();

    @Test
    void aServiceRunsOneJobAtATimeWhileOthersRunBesideIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch otherRan = new CountDownLatch(1);
        try (ServiceWorkers w = new ServiceWorkers("test", 2, woken::add)) {
            assertThat(w.submit("slow", "hang", () -> hold(release))).isTrue();
            assertThat(w.submit("slow", "again", () -> { })).as("second job of a busy service").isFalse();
            assertThat(w.submit("fast", "run", otherRan::countDown)).isTrue();
            assertThat(otherRan.await(5, TimeUnit.SECONDS)).as("another service is not held back").isTrue();
            assertThat(w.busy("slow")).isTrue();
            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> !w.busy("slow"));
            assertThat(woken).contains("hang of slow done", "run of fast done");
        }
    }

    @Test
    void aJobThatEndedAfterTheMarkMakesTheServiceNotIdleForThatView() throws Exception {
        try (ServiceWorkers w = new ServiceWorkers("test", 1, woken::add)) {
            long before = w.mark();
            assertThat(w.idleSince("web", before)).isTrue();
            w.submit("web", "create", () -> { });
            await().atMost(Duration.ofSeconds(5)).until(() -> !w.busy("web"));
            // A pass that observed before the job ended must not plan the service again.
            assertThat(w.idleSince("web", before)).isFalse();
            assertThat(w.idleSince("web", w.mark())).isTrue();
            assertThat(w.idleSince("other", before)).isTrue();
        }
    }

    @Test
    void aJobThatThrowsStillFreesItsServiceAndWakes() {
        try (ServiceWorkers w = new ServiceWorkers("test", 1, woken::add)) {
            w.submit("web", "boom", () -> {
                throw new IllegalStateException("boom");
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> !w.busy("web") && woken.contains("boom of web done"));
            assertThat(w.submit("web", "next", () -> { })).isTrue();
        }
    }

    private static void hold(CountDownLatch l) {
        try {
            l.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
