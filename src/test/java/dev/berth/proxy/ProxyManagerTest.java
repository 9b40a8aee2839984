package dev.berth.proxy;

import static dev.berth.proxy.RawHttp.body;
import static dev.berth.proxy.RawHttp.exchange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.metrics.BerthMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import java.util.concurrent.CopyOnWriteArrayList;
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
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final List<HttpServer> servers = new ArrayList<>();
    final List<ServerSocket> rawServers = new ArrayList<>();
    /** Exceptions that reached Vert.x without a handler (they would be logged as "Unhandled exception"). */
    final List<Throwable> unhandled = new CopyOnWriteArrayList<>();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    int port;

    @BeforeEach
    void setUp() throws IOException {
        vertx = Vertx.vertx();
        vertx.exceptionHandler(unhandled::add);
        proxy = new ProxyManager(vertx, "127.0.0.1", new BerthMetrics(registry));
        port = freePort();
    }

    /** Replaces the proxy with one that has these timeouts. */
    void withTimeouts(Duration request, Duration idle) {
        proxy.close();
        proxy = new ProxyManager(vertx, "127.0.0.1", new BerthMetrics(registry), new ProxyTimeouts(request, idle));
    }

    @AfterEach
    void tearDown() throws IOException {
        proxy.close();
        for (ServerSocket s : rawServers) {
            s.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
        assertThat(unhandled).isEmpty();
    }

    static int freePort() {
        return dev.berth.testing.Ports.free();
    }

    /**
     * A backend that answers its name, /sleep?ms=N after N ms, /hang never, /headers with
     * Host|X-Forwarded-For|-Proto|-Host, /hop with Upgrade|HTTP2-Settings|Connection as it got them,
     * and echoes WebSocket messages ("headers" answers the handshake's Host|X-Forwarded-For).
     */
    int backend(String name) throws Exception {
        return backend(name, "127.0.0.1");
    }

    /** {@link #backend(String)} listening on {@code host}. */
    int backend(String name, String host) throws Exception {
        HttpServer s = vertx.createHttpServer().requestHandler(req -> {
            if (req.path().equals("/sleep")) {
                long ms = Long.parseLong(req.getParam("ms"));
                vertx.setTimer(ms, t -> req.response().end(name + " slept"));
                return;
            }
            if (req.path().equals("/hang")) {
                return;
            }
            if (req.path().equals("/headers")) {
                req.response().end(req.getHeader("Host") + "|" + req.getHeader("X-Forwarded-For") + "|"
                        + req.getHeader("X-Forwarded-Proto") + "|" + req.getHeader("X-Forwarded-Host"));
                return;
            }
            if (req.path().equals("/hop")) {
                req.response().end(req.getHeader("Upgrade") + "|" + req.getHeader("HTTP2-Settings") + "|"
                        + req.getHeader("Connection"));
                return;
            }
            req.response().end(name);
        }).webSocketHandler(ws -> ws.textMessageHandler(m -> ws.writeTextMessage(m.equals("headers")
                ? ws.headers().get("Host") + "|" + ws.headers().get("X-Forwarded-For")
                : name + ":" + m)));
        s.listen(0, host).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
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

    double originFailures(String reason) {
        var c = registry.find("berth.proxy.origin.failures").tag("service", "web").tag("reason", reason).counter();
        return c == null ? -1 : c.count();
    }

    @Test
    void setsForwardedHeaders() throws Exception {
        proxy.apply(List.of(route(port, "http", Map.of("a", backend("a")))));
        assertThat(get("/headers").body()).isEqualTo("127.0.0.1:" + port + "|127.0.0.1|http|127.0.0.1:" + port);
    }

    @Test
    void keepsTheClientsHostAndAppendsToXForwardedFor() throws Exception {
        proxy.apply(List.of(route(port, "http", Map.of("a", backend("a")))));
        String r = exchange(port, "GET /headers HTTP/1.1\r\nHost: shop.example.com\r\nX-Forwarded-For: 203.0.113.7\r\n"
                + "X-Forwarded-Host: spoofed.example\r\nConnection: close\r\n\r\n");
        assertThat(r).startsWith("HTTP/1.1 200");
        assertThat(body(r)).isEqualTo("shop.example.com|203.0.113.7, 127.0.0.1|http|shop.example.com");
    }

    @Test
    void aWebSocketHandshakeKeepsHostAndGetsXForwardedFor() throws Exception {
        proxy.apply(List.of(route(port, "http", Map.of("a", backend("a")))));
        WebSocket ws = vertx.createHttpClient().webSocket(new io.vertx.core.http.WebSocketConnectOptions()
                .setHost("127.0.0.1").setPort(port).setURI("/ws").putHeader("Host", "chat.example.com"))
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(roundTrip(ws, "headers")).isEqualTo("chat.example.com|127.0.0.1");
    }

    @Test
    void originFailureCountersExistAtZeroOnceThePortIsOpen() throws Exception {
        proxy.apply(List.of(route(port, "http", Map.of())));
        for (String reason : BerthMetrics.ORIGIN_FAILURE_REASONS) {
            assertThat(originFailures(reason)).as(reason).isEqualTo(0.0);
        }
        for (OriginFailure f : OriginFailure.values()) {
            assertThat(BerthMetrics.ORIGIN_FAILURE_REASONS).contains(f.tag);
        }
    }

    @Test
    void aReplicaThatNeverAnswersGets504AtTheRequestTimeout() throws Exception {
        withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(30));
        proxy.apply(List.of(route(port, "http", Map.of("a", backend("a")))));
        HttpResponse<String> r = get("/hang");
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).contains("did not answer in time");
        assertThat(originFailures("timeout")).isEqualTo(1.0);
        // The hung request no longer counts as in flight: a drain finishes at once, not at its deadline.
        proxy.drain("a", Duration.ofSeconds(30)).get(10, TimeUnit.SECONDS);
        // The same connection (keep-alive) still serves the next request.
        proxy.apply(List.of(route(port, "http", Map.of("a", servers.get(0).actualPort()))));
        assertThat(get("/").body()).isEqualTo("a");
    }

    /** A raw TCP backend: {@code serve} gets each accepted connection, which is closed after it. */
    int rawBackend(String name, SocketHandler serve) throws IOException {
        ServerSocket ss = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        rawServers.add(ss);
        Thread t = new Thread(() -> {
            while (!ss.isClosed()) {
                try (Socket c = ss.accept()) {
                    serve.handle(c);
                } catch (IOException e) {
                    // closed at the end of the test, or the proxy gave up first
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return ss.getLocalPort();
    }

    interface SocketHandler {
        void handle(Socket c) throws IOException;
    }

    /** A backend that reads a request head and then resets the connection (RST, no answer). */
    int resettingBackend() throws IOException {
        return rawBackend("resetting-backend", c -> {
            c.setSoLinger(true, 0);
            InputStream in = c.getInputStream();
            int matched = 0;
            byte[] end = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            }
        });
    }

    @Test
    void aReplicaThatResetsGets502CountedAsReset() throws Exception {
        proxy.apply(List.of(route(port, "http", Map.of("a", resettingBackend()))));
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("closed the connection");
        assertThat(originFailures("reset")).isEqualTo(1.0);
        assertThat(originFailures("timeout")).isEqualTo(0.0);
    }

    /**
     * What Docker's userland proxy does for a published port with nothing listening behind it:
     * accepts the connection and closes it at once.
     */
    int closingBackend() throws IOException {
        return rawBackend("closing-backend", c -> { });
    }

    double retries() {
        var c = registry.find("berth.proxy.retries").tag("service", "web").counter();
        return c == null ? 0 : c.count();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"resets", "closes"})
    void aGetThatAReplicaDropsUnansweredGoesToTheNextReplica(String how) throws Exception {
        int dropping = how.equals("resets") ? resettingBackend() : closingBackend();
        proxy.apply(List.of(route(port, "http", Map.of("dropping", dropping, "a", backend("a")))));
        for (int i = 0; i < 6; i++) {
            String r = exchange(port, "GET /headers HTTP/1.1\r\nHost: shop.example.com\r\nConnection: close\r\n\r\n");
            assertThat(r).startsWith("HTTP/1.1 200");
            // Sent again as it was: the client's Host, X-Forwarded-*.
            assertThat(body(r)).isEqualTo("shop.example.com|127.0.0.1|http|shop.example.com");
        }
        assertThat(retries()).isGreaterThanOrEqualTo(1.0);
        assertThat(originFailures("reset")).isEqualTo(0.0);
    }

    @Test
    void aRequestWithABodyIsNeverSentTwice() throws Exception {
        java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
        HttpServer counting = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
            received.incrementAndGet();
            req.response().end("got " + b);
        }));
        counting.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        servers.add(counting);
        proxy.apply(List.of(route(port, "http", Map.of("dropping", closingBackend(), "a", counting.actualPort()))));
        int ok = 0;
        int failed = 0;
        for (int i = 0; i < 6; i++) {
            for (String method : List.of("POST", "PUT")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .method(method, HttpRequest.BodyPublishers.ofString("order-" + i)).timeout(Duration.ofSeconds(10))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    ok++;
                } else {
                    assertThat(r.statusCode()).isEqualTo(502);
                    failed++;
                }
            }
        }
        assertThat(failed).as("requests that met the dropping replica").isPositive();
        assertThat(received.get()).isEqualTo(ok);
        assertThat(retries()).isEqualTo(0.0);
    }

    @Test
    void aGetSentAgainToAReplicaThatHangsGets504AtTheRequestTimeout() throws Exception {
        withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(30));
        proxy.apply(List.of(route(port, "http", Map.of("dropping", closingBackend(), "a", backend("a")))));
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = get("/hang");
            assertThat(r.statusCode()).isEqualTo(504);
        }
        assertThat(retries()).isGreaterThanOrEqualTo(1.0);
        assertThat(originFailures("timeout")).isEqualTo(4.0);
        assertThat(originFailures("reset")).isEqualTo(0.0);
        // Neither attempt stays counted in flight: a drain of either ends at once.
        proxy.drain("a", Duration.ofSeconds(30)).get(10, TimeUnit.SECONDS);
        proxy.drain("dropping", Duration.ofSeconds(30)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aChunkedGetIsNotSentTwice() throws Exception {
        proxy.apply(List.of(route(port, "http", Map.of("dropping", closingBackend(), "a", backend("a")))));
        int failed = 0;
        for (int i = 0; i < 4; i++) {
            String r = exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    + "0\r\n\r\n");
            if (r.startsWith("HTTP/1.1 502")) {
                failed++;
            } else {
                assertThat(r).startsWith("HTTP/1.1 200");
            }
        }
        assertThat(failed).as("requests that met the dropping replica").isPositive();
        assertThat(retries()).isEqualTo(0.0);
    }

    @Test
    void aGetEveryReplicaDropsGets502AfterEachWasTried() throws Exception {
        proxy.apply(List.of(route(port, "http", Map.of("x", closingBackend(), "y", resettingBackend()))));
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(originFailures("reset")).isEqualTo(1.0);
        assertThat(retries()).isEqualTo(1.0);
    }

    @Test
    void noReplicaAcceptingGets502CountedAsRefused() throws Exception {
        proxy.apply(List.of(route(port, "http", Map.of("dead", freePort()))));
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(originFailures("refused")).isEqualTo(1.0);
    }

    @Test
    void anIdleClientConnectionIsClosed() throws Exception {
        withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(500));
        proxy.apply(List.of(route(port, "http", Map.of("a", backend("a")))));
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            assertThat(readResponse(in)).startsWith("HTTP/1.1 200").endsWith("a");
            // Keep-alive: the connection stays open until the idle timeout closes it (EOF, not a read timeout).
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    /** Reads one response with a Content-Length body from a keep-alive connection. */
    static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("response head so far: %s", head).isNotNegative();
            head.append((char) b);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        assertThat(m.find()).as("Content-Length in %s", head).isTrue();
        byte[] body = in.readNBytes(Integer.parseInt(m.group(1)));
        return head + new String(body, StandardCharsets.ISO_8859_1);
    }

    @Test
    void anH2cUpgradeIsServedAsHttp11WithoutTheUpgrade() throws Exception {
        proxy.apply(List.of(route(port, "http", Map.of("a", backend("a")))));
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /hop HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                    + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String r = readResponse(s.getInputStream());
            assertThat(r).startsWith("HTTP/1.1 200");
            // Neither the upgrade nor its hop-by-hop settings reach the replica.
            assertThat(body(r)).startsWith("null|null|");
            assertThat(body(r)).doesNotContainIgnoringCase("upgrade");
            // The connection stays HTTP/1.1 and keeps serving.
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(readResponse(s.getInputStream())).startsWith("HTTP/1.1 200").endsWith("a");
        }
    }

    @Test
    void anHttp2PriorKnowledgePrefaceIsRefusedCleanly() throws Exception {
        proxy.apply(List.of(route(port, "http", Map.of("a", backend("a")))));
        byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] settings = {0, 0, 0, 4, 0, 0, 0, 0, 0}; // an empty SETTINGS frame
        byte[] both = new byte[preface.length + settings.length];
        System.arraycopy(preface, 0, both, 0, preface.length);
        System.arraycopy(settings, 0, both, preface.length, settings.length);
        // Vert.x's HTTP/1.x server answers an HTTP/2.0 request line 501 and closes the connection;
        // nothing reaches the replica.
        assertThat(exchange(port, both)).matches("(?s)HTTP/\\S+ 501 .*");
        assertThat(originFailures("reset")).isEqualTo(0.0);
        // The listener still serves HTTP/1.1 afterwards.
        assertThat(get("/").body()).isEqualTo("a");
    }

    @Test
    void connectionsToAReplicaAreReused() throws Exception {
        java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
        HttpServer s = vertx.createHttpServer().connectionHandler(c -> accepted.incrementAndGet())
                .requestHandler(req -> req.response().end("k"));
        s.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        servers.add(s);
        proxy.apply(List.of(route(port, "http", Map.of("k", s.actualPort()))));
        for (int i = 0; i < 20; i++) {
            // A fresh client connection each time, so only the proxy's pool can explain reuse.
            assertThat(exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).endsWith("k");
        }
        // Sequential requests find the previous connection back in the pool; one spare allows for a
        // request that arrived just before its predecessor's connection was recycled.
        assertThat(accepted.get()).isBetween(1, 2);
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

    /** Sends one text frame, answers the first text frame back, and closes the socket. */
    private static String roundTrip(WebSocket ws, String text) throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        ws.textMessageHandler(answer::complete);
        ws.writeTextMessage(text);
        try {
            return answer.get(5, TimeUnit.SECONDS);
        } finally {
            ws.close();
        }
    }

    @Test
    void webSocketsPassThrough() throws Exception {
        proxy.apply(List.of(route(port, "http", Map.of("a", backend("a")))));
        WebSocket ws = vertx.createHttpClient().webSocket(port, "127.0.0.1", "/ws").toCompletionStage()
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(roundTrip(ws, "hello")).isEqualTo("a:hello");
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

    /**
     * A member with an address is reached there, at the container port, not at its loopback port
     * (here a port nothing listens on); without one, at its loopback port; the switch between
     * them is a change of member. 127.0.0.2 stands for a bridge address: Linux answers all of
     * 127/8 on loopback.
     */
    @Test
    void aMemberWithAnAddressIsReachedThereAtTheContainerPort() throws Exception {
        int containerPort = backend("direct", "127.0.0.2");
        int nothing = freePort();
        Route.Port p = new Route.Port(port, containerPort, "http");
        proxy.apply(List.of(new Route("web", List.of(p), List.of(new Route.Member("a", Map.of(containerPort, nothing),
                "127.0.0.2")))));
        assertThat(get("/").body()).isEqualTo("direct");
        int loopback = backend("loopback");
        proxy.apply(List.of(new Route("web", List.of(p), List.of(new Route.Member("a", Map.of(containerPort, loopback))))));
        assertThat(get("/").body()).isEqualTo("loopback");

        NetServer echo = vertx.createNetServer().connectHandler(s -> s.handler(b -> s.write("echo:" + b.toString())));
        echo.listen(0, "127.0.0.2").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        int tcpPort = freePort();
        proxy.apply(List.of(new Route("db", List.of(new Route.Port(tcpPort, echo.actualPort(), "tcp")),
                List.of(new Route.Member("d", Map.of(echo.actualPort(), nothing), "127.0.0.2")))));
        try (Socket s = new Socket("127.0.0.1", tcpPort)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("ping".getBytes(StandardCharsets.UTF_8));
            assertThat(new String(s.getInputStream().readNBytes(9), StandardCharsets.UTF_8)).isEqualTo("echo:ping");
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
