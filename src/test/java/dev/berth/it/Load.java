package dev.berth.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady stream of GET requests to one loopback URL from a few threads, counting answers by
 * body and every failure (non-200 or I/O error) with its reason. Loopback only, by rule.
 */
final class Load implements AutoCloseable {
    final AtomicLong ok = new AtomicLong();
    final List<String> failures = new CopyOnWriteArrayList<>();
    final Map<String, AtomicLong> bodies = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    Load(int port, String path, int workers) {
        URI uri = URI.create("http://127.0.0.1:" + port + path);
        for (int i = 0; i < workers; i++) {
            Thread t = new Thread(() -> {
                HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                while (running) {
                    try {
                        HttpResponse<String> r = c.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) {
                            ok.incrementAndGet();
                            bodies.computeIfAbsent(r.body().strip(), k -> new AtomicLong()).incrementAndGet();
                        } else {
                            failures.add("HTTP " + r.statusCode() + ": " + r.body().strip());
                        }
                    } catch (Exception e) {
                        if (running) {
                            failures.add(e.toString());
                        }
                    }
                }
            }, "load-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    long count(String body) {
        AtomicLong n = bodies.get(body);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(15_000);
        }
    }
}
