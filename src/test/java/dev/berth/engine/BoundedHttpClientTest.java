package dev.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The bound on the engine's silence, against a transport that answers only when told to. */
class BoundedHttpClientTest {
    static final DockerHttpClient.Request PING = DockerHttpClient.Request.builder()
            .method(DockerHttpClient.Request.Method.GET).path("/_ping").build();

    /** Answers at once while open; while shut, holds every request until opened. */
    static final class Gate implements DockerHttpClient {
        volatile CountDownLatch shut = new CountDownLatch(0);
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger closedAnswers = new AtomicInteger();

        @Override
        public Response execute(Request request) {
            sent.incrementAndGet();
            try {
                shut.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return new Response() {
                public int getStatusCode() {
                    return 200;
                }

                public Map<String, List<String>> getHeaders() {
                    return Map.of();
                }

                public InputStream getBody() {
                    return new ByteArrayInputStream("OK".getBytes());
                }

                public void close() {
                    closedAnswers.incrementAndGet();
                }
            };
        }

        @Override
        public void close() {}
    }

    @Test
    void anAnswerWithinTheBoundPassesThrough() throws Exception {
        Gate gate = new Gate();
        try (var client = new BoundedHttpClient(gate, Duration.ofSeconds(5))) {
            assertThat(client.execute(PING).getStatusCode()).isEqualTo(200);
        }
    }

    @Test
    void silencePastTheBoundFailsTheRequestAndALateAnswerIsClosedUnread() throws Exception {
        Gate gate = new Gate();
        gate.shut = new CountDownLatch(1);
        try (var client = new BoundedHttpClient(gate, Duration.ofMillis(200))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.execute(PING)).isInstanceOf(BoundedHttpClient.EngineSilent.class)
                    .hasMessage("the engine did not answer GET /_ping within 200 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            gate.shut.countDown();
            Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> gate.closedAnswers.get() == 1);
            assertThat(client.execute(PING).getStatusCode()).as("answers again once the engine does").isEqualTo(200);
        }
    }

    @Test
    void pastTheLimitOfUnansweredRequestsNewOnesAreNotSent() throws Exception {
        Gate gate = new Gate();
        gate.shut = new CountDownLatch(1);
        try (var client = new BoundedHttpClient(gate, Duration.ofMillis(50))) {
            for (int i = 0; i < BoundedHttpClient.MAX_OVERDUE; i++) {
                assertThatThrownBy(() -> client.execute(PING)).hasMessageContaining("did not answer");
            }
            assertThatThrownBy(() -> client.execute(PING)).isInstanceOf(BoundedHttpClient.EngineSilent.class)
                    .hasMessage("the engine has not answered 8 earlier requests; GET /_ping not sent");
            assertThat(gate.sent.get()).isEqualTo(BoundedHttpClient.MAX_OVERDUE);

            gate.shut.countDown();
            Awaitility.await().atMost(5, TimeUnit.SECONDS)
                    .until(() -> gate.closedAnswers.get() == BoundedHttpClient.MAX_OVERDUE);
            assertThat(client.execute(PING).getStatusCode()).isEqualTo(200);
        }
    }
}
