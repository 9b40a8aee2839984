package dev.berth.proxy;

import dev.berth.metrics.BerthMetrics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyOptions;
import io.vertx.httpproxy.ProxyResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One listening host port of one service. HTTP goes through Vert.x's reverse proxy (keep-alive
 * to origins, WebSocket upgrades) with Berth's choice of origin: a failed connect is retried on
 * the next replica (nothing was sent yet, so any method is safe to retry), and so is a request
 * without a body and with an idempotent method that a replica reset before answering
 * ({@link #resend}). The client's Host
 * reaches the replica unchanged, with X-Forwarded-* added ({@link ForwardedHeaders}); a replica
 * that does not answer in time or at all gives 504 or 502 ({@link OriginGuard}). The listener
 * speaks HTTP/1.x only: an h2c upgrade is ignored and served as HTTP/1.1, an HTTP/2
 * prior-knowledge preface is refused (Vert.x answers 501 and closes). TCP is piped both ways. With no ready replica,
 * HTTP answers 503.
 */
final class PortProxy {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(PortProxy.class);
    /** ProxyContext attachments: the replicas in the order tried, the index of the last one tried, its release. */
    private static final String ORDER = "berth.order";
    private static final String TRIED = "berth.tried";
    private static final String RELEASE = "berth.release";
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);
    /** Not forwarded on a request sent again (as vertx-http-proxy does not forward them). */
    private static final Set<String> HOP_BY_HOP = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);

    static {
        HOP_BY_HOP.addAll(List.of("connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
                "trailer", "transfer-encoding", "upgrade"));
    }

    final String service;
    final int port;
    final String protocol;
    final Balancer balancer = new Balancer();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    private final Vertx vertx;
    private HttpServer http;
    private NetServer tcp;
    private NetClient tcpClient;

    private final BerthMetrics metrics;
    private volatile BerthMetrics.ProxyMeters meters;
    private final ProxyTimeouts timeouts;

    PortProxy(Vertx vertx, String service, int port, String protocol, BerthMetrics metrics,
            ProxyTimeouts timeouts) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.service = service;
        this.port = port;
        this.protocol = protocol;
        this.timeouts = timeouts;
    }

    /** Counts one request (an HTTP request, a TCP connection) that began at {@code start} (nanoTime). */
    private void record(long start, boolean error) {
        BerthMetrics.ProxyMeters m = meters;
        if (m == null || m.dropped()) {
            m = metrics.proxyMeters(service, port);
            meters = m;
        }
        m.record(java.time.Duration.ofNanos(System.nanoTime() - start), error);
    }

    /** Binds the port; throws when it cannot (port taken, no permission). */
    void listen(String address, HttpClient client) throws Exception {
        if ("tcp".equals(protocol)) {
            tcpClient = vertx.createNetClient(new io.vertx.core.net.NetClientOptions().setConnectTimeout(Backend.CONNECT_TIMEOUT_MS));
            tcp = vertx.createNetServer().connectHandler(this::pipe);
            tcp.listen(port, address).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return;
        }
        metrics.proxyService(service);
        HttpProxy proxy = HttpProxy.reverseProxy(new ProxyOptions().setSupportWebSocket(true), client);
        proxy.origin(this::connect);
        proxy.addInterceptor(new OriginGuard(vertx, service, timeouts, metrics, this::resend));
        // h2c off: Vert.x would otherwise switch such a connection to HTTP/2 (upgrade or
        // prior knowledge) and the proxy would forward HTTP/2 requests it does not handle well.
        // Off, an "Upgrade: h2c" is an ordinary HTTP/1.1 request (nginx's way) and a preface is
        // an HTTP/2.0 request line, which Vert.x's HTTP/1 decoder answers 501 and closes. The idle timeout covers HTTP listeners only: a TCP port may
        // carry database connections that are quiet for hours on purpose.
        HttpServerOptions options = new HttpServerOptions().setHttp2ClearTextEnabled(false)
                .setIdleTimeout((int) Math.max(1, timeouts.idle().toMillis())).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        http = vertx.createHttpServer(options).requestHandler(req -> handle(req, proxy))
                // A client that resets its connection is routine; Vert.x would log each at ERROR.
                .connectionHandler(c -> c.exceptionHandler(e -> LOG.debugf("service=%s proxy :%d client %s: %s", service,
                        port, c.remoteAddress(), e.toString())));
        http.listen(port, address).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void handle(HttpServerRequest req, HttpProxy proxy) {
        requests.incrementAndGet();
        long start = System.nanoTime();
        if (balancer.members().isEmpty()) {
            errors.incrementAndGet();
            record(start, true);
            req.response().setStatusCode(503).putHeader("Content-Type", "text/plain")
                    .end("no ready replica of service " + service + "\n");
            return;
        }
        ForwardedHeaders.prepare(req);
        req.response().endHandler(v -> {
            boolean failed = req.response().getStatusCode() >= 500;
            if (failed) {
                errors.incrementAndGet();
            }
            record(start, failed);
        });
        proxy.handle(req);
    }

    private Future<HttpClientRequest> connect(ProxyContext ctx) {
        return connect(ctx, balancer.order(), 0);
    }

    private Future<HttpClientRequest> connect(ProxyContext ctx, List<Backend> order, int i) {
        if (i >= order.size()) {
            ctx.set(OriginGuard.REFUSED, Boolean.TRUE);
            return Future.failedFuture("no replica of " + service + " accepted the connection");
        }
        Runnable release = claim(ctx, order, i);
        return origin(ctx, order.get(i), null)
                .onSuccess(r -> releaseAtTheEnd(ctx, release, e -> release.run()))
                .recover(err -> {
                    release.run();
                    if (timedOut(ctx)) {
                        return Future.failedFuture(err);
                    }
                    return connect(ctx, order, i + 1);
                });
    }

    /**
     * A request to replica {@code b}, its Host the client's. {@code method} null: the proxy sets
     * method, URI and headers when it sends it; otherwise they are set here from the proxied request.
     */
    private Future<HttpClientRequest> origin(ProxyContext ctx, Backend b, HttpMethod method) {
        HttpServerRequest in = ctx.request().proxiedRequest();
        RequestOptions options = new RequestOptions().setHost(b.host).setPort(b.port);
        if (method != null) {
            options.setMethod(method).setURI(ctx.request().getURI());
        }
        return ctx.client().request(options).compose(r -> {
            if (timedOut(ctx)) {
                // The client already has its 504; do not send this request late.
                r.reset();
                return Future.failedFuture("request timed out before a replica connection was free");
            }
            if (method != null) {
                ctx.request().headers().forEach(h -> {
                    if (!HOP_BY_HOP.contains(h.getKey()) && !h.getKey().equalsIgnoreCase("host")) {
                        r.headers().add(h.getKey(), h.getValue());
                    }
                });
            }
            // The replica sees the client's Host, not 127.0.0.1:<port>: vertx-http-proxy
            // 4.5.27 sends the latter (null authority by default; Host dropped on WebSocket
            // upgrades). Set here, it holds for both paths.
            if (in.authority() != null) {
                r.authority(in.authority());
            }
            ctx.set(OriginGuard.ORIGIN, r);
            return Future.succeededFuture(r);
        });
    }

    /** Counts the request in flight on {@code order[i]}, remembered as the replica tried last; answers its release. */
    private static Runnable claim(ProxyContext ctx, List<Backend> order, int i) {
        Backend b = order.get(i);
        b.inFlight.incrementAndGet();
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                b.inFlight.decrementAndGet();
            }
        };
        ctx.set(ORDER, order);
        ctx.set(TRIED, i);
        ctx.set(RELEASE, release);
        return release;
    }

    /** {@code onError} runs when the client's connection fails; it must release too. */
    private static void releaseAtTheEnd(ProxyContext ctx, Runnable release, Handler<Throwable> onError) {
        var response = ctx.request().proxiedRequest().response();
        // endHandler belongs to handle() (metrics); the body end and close cover release.
        response.bodyEndHandler(v -> release.run());
        response.closeHandler(v -> release.run());
        response.exceptionHandler(onError);
    }

    private static boolean timedOut(ProxyContext ctx) {
        return Boolean.TRUE.equals(ctx.get(OriginGuard.TIMED_OUT, Boolean.class));
    }

    /**
     * Sends a request that a replica reset before its response headers to the replicas after it,
     * when it can be sent again as it was: an idempotent method and no body (nginx's
     * {@code proxy_next_upstream error}). It matters more here than for nginx: Docker's userland
     * proxy accepts a connection to a published port even when nothing listens behind it, then
     * closes it, so a replica that does not listen yet (ready by an exec probe, or without a
     * healthcheck) or no more looks like a reset, never like a refused connection. A POST, or any
     * request with a body, is never sent twice. Answers null when the request cannot go again or
     * no replica is left.
     */
    Future<ProxyResponse> resend(ProxyContext ctx) {
        @SuppressWarnings("unchecked")
        List<Backend> order = ctx.get(ORDER, List.class);
        Integer tried = ctx.get(TRIED, Integer.class);
        if (order == null || tried == null || tried + 1 >= order.size() || timedOut(ctx)
                || !replayable(ctx.request().proxiedRequest())) {
            return null;
        }
        Runnable previous = ctx.get(RELEASE, Runnable.class);
        if (previous != null) {
            previous.run();
        }
        metrics.proxyRetry(service);
        LOG.debugf("service=%s proxy :%d %s %s: %s reset it before answering; trying the next replica", service, port,
                ctx.request().getMethod(), ctx.request().getURI(), order.get(tried));
        return resend(ctx, order, tried + 1);
    }

    private Future<ProxyResponse> resend(ProxyContext ctx, List<Backend> order, int i) {
        Runnable release = claim(ctx, order, i);
        return origin(ctx, order.get(i), ctx.request().getMethod())
                .compose(r -> {
                    // A client that leaves takes this request with it (as vertx-http-proxy does for the first).
                    releaseAtTheEnd(ctx, release, e -> {
                        release.run();
                        r.reset(0, e);
                    });
                    return r.send();
                })
                .map(answer -> {
                    answer.pause();
                    String length = answer.getHeader(HttpHeaders.CONTENT_LENGTH);
                    ProxyResponse out = ctx.request().response().setStatusCode(answer.statusCode())
                            .setStatusMessage(answer.statusMessage());
                    out.headers().addAll(answer.headers());
                    return out.setBody(Body.body(answer, length == null ? -1 : parseLength(length)));
                })
                .recover(err -> {
                    release.run();
                    if (timedOut(ctx) || i + 1 >= order.size()) {
                        return Future.failedFuture(err);
                    }
                    return resend(ctx, order, i + 1);
                });
    }

    private static long parseLength(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** An idempotent method (RFC 9110 9.2.2) without a body: sending it twice is harmless and possible. */
    static boolean replayable(HttpServerRequest in) {
        if (!IDEMPOTENT.contains(in.method())) {
            return false;
        }
        String length = in.getHeader(HttpHeaders.CONTENT_LENGTH);
        return in.getHeader(HttpHeaders.TRANSFER_ENCODING) == null && (length == null || length.trim().equals("0"));
    }

    /** TCP: a connection counts as one request in the metrics, its lifetime as the latency. */
    private void pipe(NetSocket in) {
        requests.incrementAndGet();
        in.pause();
        pipe(in, balancer.order(), 0, System.nanoTime());
    }

    private void pipe(NetSocket in, List<Backend> order, int i, long start) {
        if (i >= order.size()) {
            errors.incrementAndGet();
            record(start, true);
            in.close();
            return;
        }
        Backend b = order.get(i);
        tcpClient.connect(b.port, b.host).onComplete(ar -> {
            if (ar.failed()) {
                pipe(in, order, i + 1, start);
                return;
            }
            NetSocket out = ar.result();
            b.inFlight.incrementAndGet();
            AtomicBoolean released = new AtomicBoolean();
            Runnable release = () -> {
                if (released.compareAndSet(false, true)) {
                    b.inFlight.decrementAndGet();
                    record(start, false);
                }
            };
            in.closeHandler(v -> {
                release.run();
                out.close();
            });
            out.closeHandler(v -> {
                release.run();
                in.close();
            });
            in.pipeTo(out);
            out.pipeTo(in);
            in.resume();
        });
    }

    void close() {
        if (http != null) {
            http.close();
        }
        if (tcp != null) {
            tcp.close();
        }
        if (tcpClient != null) {
            tcpClient.close();
        }
    }
}
