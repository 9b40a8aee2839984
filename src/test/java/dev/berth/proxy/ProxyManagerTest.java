package dev.berth.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.net.NetServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy against real HTTP, WebSocket and TCP backends on loopback (kamal-proxy's way: real
 * servers, no mocks). Containers are not needed to test traffic switching itself.
 */
class ProxyManagerTest {
    Vertx vertx;
    ProxyManager proxy;
    final List<HttpServer> servers = new ArrayList<>();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    int port;

    @BeforeEach
    void setUp() throws IOException {
        vertx = Vertx.vertx();
        proxy = new ProxyManager(vertx, "127.0.0.1");
        port = freePort();
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    static int freePort() {
        return dev.berth.testing.Ports.free();
    }

    /** A backend that answers its name, /sleep?ms=N after N ms, and echoes X-Forwarded-For. */
    int backend(String name) throws Exception {
        HttpServer s = vertx.createHttpServer().requestHandler(req -> {
            if (req.path().equals("/sleep")) {
                long ms = Long.parseLong(req.getParam("ms"));
                vertx.setTimer(ms, t -> req.response().end(name + " slept"));
                return;
            }
            if (req.path().equals("/headers")) {
                req.response().end(req.getHeader("X-Forwarded-For") + "|" + req.getHeader("X-Forwarded-Proto") + "|"
                        + req.getHeader("X-Forwarded-Host"));
                return;
            }
            req.response().end(name);
        }).webSocketHandler(ws -> ws.textMessageHandler(m -> ws.writeTextMessage(name + ":" + m)));
        s.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        servers.add(s);
        return s.actualPort();
    }

    static Route route(int hostPort, String protocol, Map<String, Integer> members) {
        List<Route.Member> m = new ArrayList<>();
        members.forEach((id, lp) -> m.add(new Route.Member(id, Map.of(80, lp))));
        return new Route("web", List.of(new Route.Port(hostPort, 80, protocol)), m);
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void balancesOverMembersAndAnswers503WithoutAny() throws Exception {
        assertThat(proxy.apply(List.of(route(port, "http", Map.of())))).isEmpty();
        assertThat(get("/").statusCode()).isEqualTo(503);
        proxy.apply(List.of(route(port, "http", Map.of("a", backend("a"), "b", backend("b")))));
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = get("/");
            assertThat(r.statusCode()).isEqualTo(200);
            seen.add(r.body());
        }
        assertThat(seen).contains("a", "b");
    }

    @Test
    void setsForwardedHeaders() throws Exception {
        proxy.apply(List.of(route(port, "http", Map.of("a", backend("a")))));
        assertThat(get("/headers").body()).isEqualTo("127.0.0.1|http|127.0.0.1:" + port);
    }

    @Test
    void aRefusedConnectionIsRetriedOnAnotherReplica() throws Exception {
        int dead = freePort();
        proxy.apply(List.of(route(port, "http", Map.of("dead", dead, "a", backend("a")))));
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = get("/");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("a");
        }
    }

    @Test
    void drainingLetsInFlightRequestsFinishAndSendsNewOnesElsewhere() throws Exception {
        proxy.apply(List.of(route(port, "http", Map.of("old", backend("old")))));
        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/sleep?ms=1500")).build(), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        proxy.apply(List.of(route(port, "http", Map.of("old", servers.get(0).actualPort(), "new", backend("new")))));
        long t0 = System.nanoTime();
        CompletableFuture<Void> drained = proxy.drain("old", Duration.ofSeconds(10));
        assertThat(proxy.isMember("old")).isFalse();
        for (int i = 0; i < 5; i++) {
            assertThat(get("/").body()).isEqualTo("new");
        }
        assertThat(drained).isNotDone();
        drained.get(10, TimeUnit.SECONDS);
        assertThat(slow.get(5, TimeUnit.SECONDS).body()).isEqualTo("old slept");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(9));
    }

    @Test
    void drainGivesUpAtItsDeadline() throws Exception {
        proxy.apply(List.of(route(port, "http", Map.of("old", backend("old")))));
        http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sleep?ms=5000")).build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        long t0 = System.nanoTime();
        proxy.drain("old", Duration.ofMillis(500)).get(5, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void webSocketsPassThrough() throws Exception {
        proxy.apply(List.of(route(port, "http", Map.of("a", backend("a")))));
        WebSocket ws = vertx.createHttpClient().webSocket(port, "127.0.0.1", "/ws").toCompletionStage()
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        CompletableFuture<String> answer = new CompletableFuture<>();
        ws.textMessageHandler(answer::complete);
        ws.writeTextMessage("hello");
        assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo("a:hello");
        ws.close();
    }

    @Test
    void tcpIsPipedBothWays() throws Exception {
        NetServer echo = vertx.createNetServer().connectHandler(s -> s.handler(b -> s.write("echo:" + b.toString())));
        echo.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        proxy.apply(List.of(route(port, "tcp", Map.of("a", echo.actualPort()))));
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write("ping".getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[9];
            int n = 0;
            while (n < 9) {
                n += in.read(buf, n, 9 - n);
            }
            assertThat(new String(buf, StandardCharsets.UTF_8)).isEqualTo("echo:ping");
        }
    }

    @Test
    void aPortInUseIsReportedAndAPortNoLongerRoutedIsClosed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Map<String, String> errors = proxy.apply(List.of(route(taken.getLocalPort(), "http", Map.of())));
            assertThat(errors).containsKey("web");
            assertThat(errors.get("web")).contains("cannot listen");
        }
        proxy.apply(List.of(route(port, "http", Map.of("a", backend("a")))));
        assertThat(get("/").statusCode()).isEqualTo(200);
        proxy.apply(List.of());
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return false;
            } catch (IOException refused) {
                return true;
            }
        });
    }
}
