package dev.berth.proxy;

import static dev.berth.proxy.RawHttp.body;
import static dev.berth.proxy.RawHttp.exchange;
import static dev.berth.proxy.RawHttp.head;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.metrics.BerthMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What {@link HttpExchange} forwards and how: bodies both ways (with a length, chunked, large),
 * headers less hop-by-hop ones, the status line, Date, an HTTP/1.0 client, a HEAD. A real Vert.x
 * origin on loopback and raw sockets for the client, so that every byte on the wire is seen.
 */
class ProxyForwardingTest {
    Vertx vertx;
    ProxyManager proxy;
    int port;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        proxy = new ProxyManager(vertx, "127.0.0.1", new BerthMetrics(new SimpleMeterRegistry()));
        port = dev.berth.testing.Ports.free();
        proxy.apply(List.of(ProxyManagerTest.route(port, "http", Map.of("o", origin()))));
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /**
     * /digest: the request body's length, SHA-256 and how it was framed; /chunks?n=N: N chunks of
     * "0123456789" without a length; /hop: a response with hop-by-hop and own headers and a Date;
     * /teapot: 418 with its own reason phrase; anything else: "ok" without a Date (a HEAD: its length).
     */
    int origin() throws Exception {
        HttpServer s = vertx.createHttpServer().requestHandler(req -> {
            switch (req.path()) {
                case "/digest" -> req.body().onSuccess(b -> req.response().end(b.length() + " " + sha256(b.getBytes())
                        + " " + (req.getHeader("Transfer-Encoding") == null ? "length" : "chunked")));
                case "/chunks" -> {
                    req.response().setChunked(true);
                    for (int i = 0; i < Integer.parseInt(req.getParam("n")); i++) {
                        req.response().write("0123456789");
                    }
                    req.response().end();
                }
                case "/hop" -> req.response().putHeader("Keep-Alive", "timeout=5").putHeader("Proxy-Connection", "x")
                        .putHeader("X-Own", "kept").putHeader("Date", "Tue, 01 Dec 2026 10:00:00 GMT")
                        .putHeader("Set-Cookie", (Iterable<String>) List.of("a=1", "b=2")).end("hop");
                case "/teapot" -> req.response().setStatusCode(418).setStatusMessage("Short And Stout").end("tea");
                default -> {
                    if (req.method() == io.vertx.core.http.HttpMethod.HEAD) {
                        // Vert.x leaves the length out of a HEAD's response unless told.
                        req.response().putHeader("Content-Length", "2").end();
                    } else {
                        req.response().end("ok");
                    }
                }
            }
        });
        s.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        return s.actualPort();
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aLargeBodyWithALengthReachesTheReplicaWhole() throws Exception {
        byte[] body = new byte[3 * 1024 * 1024 + 7];
        new java.util.Random(7).nextBytes(body);
        byte[] head = ("POST /digest HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        String r = exchange(port, request);
        assertThat(r).startsWith("HTTP/1.1 200");
        assertThat(body(r)).isEqualTo(body.length + " " + sha256(body) + " length");
    }

    @Test
    void aChunkedBodyReachesTheReplicaChunked() throws Exception {
        String r = exchange(port, "POST /digest HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        assertThat(r).startsWith("HTTP/1.1 200");
        assertThat(body(r)).isEqualTo("11 " + sha256("hello world".getBytes(StandardCharsets.US_ASCII)) + " chunked");
    }

    @Test
    void aResponseWithoutALengthIsStreamedChunked() throws Exception {
        String r = exchange(port, "GET /chunks?n=5000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(head(r)).startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked");
        String decoded = dechunk(body(r));
        assertThat(decoded).hasSize(50_000).startsWith("0123456789").endsWith("0123456789");
    }

    @Test
    void anHttp10ClientGetsAChunkedResponseWithItsLength() throws Exception {
        String r = exchange(port, "GET /chunks?n=300 HTTP/1.0\r\nHost: x\r\n\r\n");
        assertThat(head(r)).startsWith("HTTP/1.0 200").containsIgnoringCase("content-length: 3000")
                .doesNotContainIgnoringCase("transfer-encoding");
        assertThat(body(r)).hasSize(3000);
    }

    @Test
    void hopByHopHeadersStayBehindAndTheRestPassesWithTheReplicasDate() throws Exception {
        String h = head(exchange(port, "GET /hop HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).toLowerCase();
        assertThat(h).contains("x-own: kept", "set-cookie: a=1", "set-cookie: b=2",
                "date: tue, 01 dec 2026 10:00:00 gmt");
        assertThat(h).doesNotContain("keep-alive", "proxy-connection");
    }

    @Test
    void aResponseWithoutADateGetsOne() throws Exception {
        String h = head(exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        assertThat(h).containsPattern("(?i)\r\ndate: \\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
    }

    @Test
    void theStatusLineIsTheReplicas() throws Exception {
        String r = exchange(port, "GET /teapot HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(r).startsWith("HTTP/1.1 418 Short And Stout\r\n");
        assertThat(body(r)).isEqualTo("tea");
    }

    @Test
    void aHeadGetsTheLengthAndNoBody() throws Exception {
        String r = exchange(port, "HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(head(r)).startsWith("HTTP/1.1 200").containsIgnoringCase("content-length: 2");
        assertThat(body(r)).isEmpty();
    }

    @Test
    void aClientThatExpects100ContinueGetsItBeforeSendingItsBody() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(("POST /digest HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                    + "Expect: 100-continue\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] interim = new byte["HTTP/1.1 100 Continue\r\n\r\n".length()];
            new java.io.DataInputStream(s.getInputStream()).readFully(interim);
            assertThat(new String(interim, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 100 Continue");
            s.getOutputStream().write("hello".getBytes(StandardCharsets.ISO_8859_1));
            String r = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(r).startsWith("HTTP/1.1 200");
            assertThat(body(r)).isEqualTo("5 " + sha256("hello".getBytes(StandardCharsets.US_ASCII)) + " length");
        }
    }

    @Test
    void aTransferCodingThatCannotBeFramedIsRefused() throws Exception {
        String r = exchange(port, "POST /digest HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nConnection: close\r\n\r\n");
        assertThat(r).startsWith("HTTP/1.1 400");
    }

    @Test
    void manyRequestsOnOneConnectionAllGetTheirAnswers() throws Exception {
        StringBuilder pipelined = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            pipelined.append("GET /teapot HTTP/1.1\r\nHost: x\r\n\r\n");
        }
        pipelined.append("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        String r = exchange(port, pipelined.toString());
        assertThat(r.split("HTTP/1.1 418 ", -1)).hasSize(51);
        assertThat(r).endsWith("ok");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Connection,true", "keep-alive,true", "TE,true", "Transfer-Encoding,true", "Upgrade,true",
        "Proxy-Authorization,true", "Content-Length,false", "Host,false", "X-Forwarded-For,false", "Tee,false"})
    void hopByHop(String name, boolean hop) {
        assertThat(HttpExchange.hopByHop(name)).isEqualTo(hop);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(value = {"<none>|false", "chunked|true", "Chunked|true", "gzip|", "gzip, chunked|"}, delimiter = '|')
    void framing(String codings, Boolean chunked) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        if (!codings.equals("<none>")) {
            for (String c : codings.split(",")) {
                h.add("Transfer-Encoding", c);
            }
        }
        assertThat(HttpExchange.chunked(h)).isEqualTo(chunked);
    }

    /** Decodes a chunked body (no trailers). */
    static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (true) {
            int eol = chunked.indexOf("\r\n", i);
            int size = Integer.parseInt(chunked.substring(i, eol).trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(chunked, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
    }
}
