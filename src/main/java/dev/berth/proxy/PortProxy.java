package dev.berth.proxy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One listening host port of one service. HTTP goes through Vert.x's reverse proxy (keep-alive
 * to origins, WebSocket upgrades) with Berth's choice of origin: a failed connect is retried on
 * the next replica (nothing was sent yet, so any method is safe to retry). The client's Host
 * reaches the replica unchanged, with X-Forwarded-* added ({@link ForwardedHeaders}); a replica
 * that does not answer in time or at all gives 504 or 502 ({@link OriginGuard}). The listener
 * speaks HTTP/1.x only: an h2c upgrade is ignored and served as HTTP/1.1, an HTTP/2
 * prior-knowledge preface is refused (Vert.x answers 501 and closes). TCP is piped both ways. With no ready replica,
 * HTTP answers 503.
 */
final class PortProxy {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(PortProxy.class);
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

    private final dev.berth.metrics.BerthMetrics metrics;
    private final ProxyTimeouts timeouts;

    PortProxy(Vertx vertx, String service, int port, String protocol, dev.berth.metrics.BerthMetrics metrics,
            ProxyTimeouts timeouts) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.service = service;
        this.port = port;
        this.protocol = protocol;
        this.timeouts = timeouts;
    }

    /** Binds the port; throws when it cannot (port taken, no permission). */
    void listen(String address, HttpClient client) throws Exception {
        if ("tcp".equals(protocol)) {
            tcpClient = vertx.createNetClient(new io.vertx.core.net.NetClientOptions().setConnectTimeout(1000));
            tcp = vertx.createNetServer().connectHandler(this::pipe);
            tcp.listen(port, address).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return;
        }
        metrics.proxyService(service);
        HttpProxy proxy = HttpProxy.reverseProxy(new ProxyOptions().setSupportWebSocket(true), client);
        proxy.origin(this::connect);
        proxy.addInterceptor(new OriginGuard(vertx, service, timeouts, metrics));
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
            metrics.proxyRequest(service, port, java.time.Duration.ofNanos(System.nanoTime() - start), true);
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
            metrics.proxyRequest(service, port, java.time.Duration.ofNanos(System.nanoTime() - start), failed);
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
        Backend b = order.get(i);
        b.inFlight.incrementAndGet();
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                b.inFlight.decrementAndGet();
            }
        };
        HttpServerRequest in = ctx.request().proxiedRequest();
        return ctx.client().request(new RequestOptions().setHost("127.0.0.1").setPort(b.port))
                .compose(r -> {
                    if (Boolean.TRUE.equals(ctx.get(OriginGuard.TIMED_OUT, Boolean.class))) {
                        // The client already has its 504; do not send this request late.
                        r.reset();
                        return Future.failedFuture("request timed out before a replica connection was free");
                    }
                    // The replica sees the client's Host, not 127.0.0.1:<port>: vertx-http-proxy
                    // 4.5.27 sends the latter (null authority by default; Host dropped on WebSocket
                    // upgrades). Set here, it holds for both paths.
                    if (in.authority() != null) {
                        r.authority(in.authority());
                    }
                    ctx.set(OriginGuard.ORIGIN, r);
                    return Future.succeededFuture(r);
                })
                .onSuccess(r -> {
                    var response = in.response();
                    // endHandler belongs to handle() (metrics); the body end and close cover release.
                    response.bodyEndHandler(v -> release.run());
                    response.closeHandler(v -> release.run());
                    response.exceptionHandler(e -> release.run());
                })
                .recover(err -> {
                    release.run();
                    if (Boolean.TRUE.equals(ctx.get(OriginGuard.TIMED_OUT, Boolean.class))) {
                        return Future.failedFuture(err);
                    }
                    return connect(ctx, order, i + 1);
                });
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
            metrics.proxyRequest(service, port, java.time.Duration.ofNanos(System.nanoTime() - start), true);
            in.close();
            return;
        }
        Backend b = order.get(i);
        tcpClient.connect(b.port, "127.0.0.1").onComplete(ar -> {
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
                    metrics.proxyRequest(service, port, java.time.Duration.ofNanos(System.nanoTime() - start), false);
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
