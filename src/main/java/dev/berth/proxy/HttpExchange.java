package dev.berth.proxy;

import dev.berth.metrics.BerthMetrics;
import io.netty.handler.codec.DateFormatter;
import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.Pipe;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * One proxied HTTP request, not a WebSocket upgrade: from the client's request head to the end of
 * the replica's response. It tries the replicas in the balancer's order: a connection that cannot
 * be made goes to the next replica (nothing was sent, so any method may go again); a request that
 * a replica closed or reset before its response head goes to the next one too when it can be sent
 * again as it was, an idempotent method without a body (nginx's {@code proxy_next_upstream
 * error}). It holds the request to {@link ProxyTimeouts#request()} from its start to the response
 * head and answers a plain-text 504 (timeout) or 502 (refused, reset) when no replica answers,
 * counted in {@code berth_proxy_origin_failures_total{service,reason}}. The replica sees the
 * client's Host and the request's headers less hop-by-hop ones; the client sees the replica's
 * status, headers (hop-by-hop ones dropped) and body, streamed both ways with back-pressure.
 *
 * <p>Why not vertx-http-proxy for these: per request it copies the request's and the response's
 * headers into maps of its own, runs interceptors through future chains and parses and formats
 * the response's Date again; side by side on one origin this path served 1.1 times its requests
 * for the same CPU (docs/benchmarks.md, proxy throughput). WebSocket upgrades still go through it
 * ({@link PortProxy}).
 *
 * <p>Threading: every callback of one exchange runs on the event loop of the client's connection
 * (Vert.x emits the origin request's events on the context that made it, and timers set there run
 * there), so its state is plain fields.
 */
final class HttpExchange {
    /** What the exchanges of one listening port share. */
    record Port(Vertx vertx, HttpClient client, String service, int port, long timeoutMillis, BerthMetrics metrics) {}

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(HttpExchange.class);
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);
    /**
     * Hop-by-hop headers (RFC 9110 7.6.1) that neither direction forwards, as vertx-http-proxy and
     * nginx do; those a request's Connection names are gone already ({@link ForwardedHeaders}).
     */
    private static final String[] HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate",
        "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "proxy-connection"};

    private final Port port;
    private final HttpServerRequest in;
    private final List<Backend> order;
    /** Index in {@link #order} of the replica tried last. */
    private int tried = -1;
    /** The replica this exchange counts as in flight on, until released. */
    private Backend claimed;
    private HttpClientRequest origin;
    private long timer = -1;
    /** The client has its response head (the replica's or a failure's), or has gone. */
    private boolean settled;
    /** The request body's framing as {@link #chunked(MultiMap)} judged it in {@link #begin()}. */
    private Boolean chunked;

    private HttpExchange(Port port, HttpServerRequest in, List<Backend> order) {
        this.port = port;
        this.in = in;
        this.order = order;
    }

    /** Forwards {@code in} to the first of {@code order} that takes it; {@code order} is not empty. */
    static void start(Port port, HttpServerRequest in, List<Backend> order) {
        new HttpExchange(port, in, order).begin();
    }

    private void begin() {
        chunked = chunked(in.headers());
        if (chunked == null) {
            // A transfer coding other than chunked: the body's end cannot be found (vertx-http-proxy's 400).
            in.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_LENGTH, "0").end();
            return;
        }
        in.pause();
        timer = port.vertx.setTimer(port.timeoutMillis, id -> timeout());
        HttpServerResponse out = in.response();
        out.closeHandler(v -> clientGone());
        out.exceptionHandler(e -> clientGone());
        out.bodyEndHandler(v -> {
            release();
            origin = null;
        });
        attempt(0, false);
    }

    /**
     * Sends the request to {@code order[i]}: the first time with the client's body, or again
     * ({@code again}: no body, after a replica dropped it unanswered). A connection that cannot be
     * made moves on to the next replica; when none is left the client gets 502, {@code reset} for
     * a request sent again (a replica did take it), else {@code refused}.
     */
    private void attempt(int i, boolean again) {
        if (i >= order.size()) {
            fail(again ? OriginFailure.RESET : OriginFailure.REFUSED);
            return;
        }
        Backend b = claim(i);
        port.client.request(new RequestOptions().setHost(b.host).setPort(b.port).setMethod(in.method())
                .setURI(in.uri())).onComplete(ar -> {
                    if (ar.failed()) {
                        release();
                        if (!settled) {
                            attempt(i + 1, again);
                        }
                    } else if (settled) {
                        // Timed out or left while a connection was found: do not send it late.
                        release();
                        ar.result().reset();
                    } else {
                        send(ar.result(), !again);
                    }
                });
    }

    /** Sends the request on {@code r}, with the client's body streamed ({@code body}) or none (sent again). */
    private void send(HttpClientRequest r, boolean body) {
        origin = r;
        MultiMap headers = r.headers();
        for (Map.Entry<String, String> h : in.headers()) {
            String name = h.getKey();
            // Host: the authority below; Expect: the listener answered the client's 100-continue.
            if (!hopByHop(name) && !name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("expect")) {
                headers.add(name, h.getValue());
            }
        }
        if (in.authority() != null) {
            r.authority(in.authority());
        }
        r.response().onComplete(this::head);
        if (!body) {
            r.end();
            return;
        }
        long length = contentLength(in.headers().get(HttpHeaders.CONTENT_LENGTH));
        if (length >= 0) {
            headers.set(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
        } else {
            r.setChunked(chunked);
        }
        Pipe<Buffer> pipe = in.pipe();
        pipe.endOnComplete(true);
        pipe.endOnFailure(false);
        pipe.to(r, ar -> {
            if (ar.failed()) {
                r.reset();
            }
        });
    }

    /** The replica's response head, or why there is none. */
    private void head(AsyncResult<HttpClientResponse> ar) {
        if (ar.failed()) {
            if (settled) {
                return;
            }
            release();
            if (tried + 1 < order.size() && replayable(in)) {
                port.metrics.proxyRetry(port.service);
                LOG.debugf("service=%s proxy :%d %s %s: %s reset it before answering; trying the next replica",
                        port.service, port.port, in.method(), in.uri(), order.get(tried));
                attempt(tried + 1, true);
                return;
            }
            fail(OriginFailure.RESET);
            return;
        }
        HttpClientResponse answer = ar.result();
        if (settled) {
            // The client was answered (504) or left: drop this response with its connection.
            answer.request().reset();
            return;
        }
        settled = true;
        port.vertx.cancelTimer(timer);
        HttpServerResponse out = in.response();
        out.setStatusCode(answer.statusCode());
        if (answer.statusMessage() != null) {
            out.setStatusMessage(answer.statusMessage());
        }
        MultiMap headers = out.headers();
        for (Map.Entry<String, String> h : answer.headers()) {
            if (!hopByHop(h.getKey())) {
                headers.add(h.getKey(), h.getValue());
            }
        }
        if (!headers.contains(HttpHeaders.DATE)) {
            // RFC 9110 6.6.1: a recipient with a clock adds the Date a response without one lacks.
            headers.set(HttpHeaders.DATE, DateFormatter.format(new Date()));
        }
        if (answer.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
            if (in.version() == HttpVersion.HTTP_1_0) {
                // No chunked coding for an HTTP/1.0 client: the body is gathered, then sent with its length.
                answer.body().onComplete(body -> {
                    if (body.succeeded()) {
                        out.end(body.result());
                    } else {
                        out.reset();
                    }
                });
                return;
            }
            out.setChunked(true);
        }
        Pipe<Buffer> pipe = answer.pipe();
        pipe.endOnSuccess(true);
        pipe.endOnFailure(false);
        pipe.to(out, done -> {
            if (done.failed()) {
                // Either side broke mid-body: the other cannot be finished cleanly either.
                answer.request().reset();
                out.reset();
                release();
            }
        });
    }

    private void timeout() {
        // Answer first: resetting the origin fails its response at once, and that must find the client answered.
        fail(OriginFailure.TIMEOUT);
        if (origin != null) {
            origin.reset(0, new TimeoutException("no response headers within " + port.timeoutMillis + " ms"));
        }
    }

    /**
     * The client's connection closed or broke: whatever is still in flight to a replica goes with
     * it (after the response's end there is nothing: {@link #origin} is null then).
     */
    private void clientGone() {
        release();
        if (!settled) {
            settled = true;
            port.vertx.cancelTimer(timer);
        }
        if (origin != null) {
            origin.reset();
        }
    }

    /** Answers the client {@code f} unless it has an answer; counts it once. */
    private void fail(OriginFailure f) {
        if (settled) {
            return;
        }
        settled = true;
        port.vertx.cancelTimer(timer);
        release();
        HttpServerResponse out = in.response();
        if (out.closed()) {
            // A client that left is not the origin's failure.
            return;
        }
        port.metrics.proxyOriginFailure(port.service, f.tag);
        in.resume();
        out.setStatusCode(f.status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
                .end(f.message + " (service " + port.service + ")\n");
    }

    private Backend claim(int i) {
        tried = i;
        claimed = order.get(i);
        claimed.inFlight.incrementAndGet();
        return claimed;
    }

    /** Ends this exchange's count on the replica it claimed, once. */
    private void release() {
        if (claimed != null) {
            claimed.inFlight.decrementAndGet();
            claimed = null;
        }
    }

    static boolean hopByHop(String name) {
        for (String h : HOP_BY_HOP) {
            if (h.length() == name.length() && h.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** An idempotent method (RFC 9110 9.2.2) without a body: sending it twice is harmless and possible. */
    static boolean replayable(HttpServerRequest in) {
        if (!IDEMPOTENT.contains(in.method())) {
            return false;
        }
        String length = in.getHeader(HttpHeaders.CONTENT_LENGTH);
        return in.getHeader(HttpHeaders.TRANSFER_ENCODING) == null && (length == null || length.trim().equals("0"));
    }

    /** TRUE for a chunked body, FALSE for none or a length, null for a transfer coding that cannot be framed. */
    static Boolean chunked(MultiMap headers) {
        List<String> codings = headers.getAll(HttpHeaders.TRANSFER_ENCODING);
        boolean chunked = false;
        for (String c : codings) {
            if (!c.trim().equalsIgnoreCase("chunked")) {
                return null;
            }
            chunked = true;
        }
        return chunked;
    }

    private static long contentLength(String s) {
        if (s == null) {
            return -1;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
