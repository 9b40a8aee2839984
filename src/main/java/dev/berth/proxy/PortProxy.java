package dev.berth.proxy;

import dev.berth.metrics.BerthMetrics;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * One listening host port of one service. An HTTP request goes to a replica by Berth's own
 * forwarding ({@link HttpExchange}: keep-alive to replicas, the next replica when a connect fails
 * or an idempotent request without a body is dropped unanswered, 504/502 when none answers); a
 * WebSocket upgrade is tunnelled by vertx-http-proxy with the same choice of replica. The client's
 * Host reaches the replica unchanged, with X-Forwarded-* added ({@link ForwardedHeaders}). The
 * listener speaks HTTP/1.x only: an h2c upgrade is ignored and served as HTTP/1.1, an HTTP/2
 * prior-knowledge preface is refused (Vert.x answers 501 and closes). TCP is piped both ways.
 * With no ready replica, HTTP answers 503.
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
        HttpProxy upgrades = HttpProxy.reverseProxy(new ProxyOptions().setSupportWebSocket(true), client);
        upgrades.origin(this::connect);
        HttpExchange.Port exchanges = new HttpExchange.Port(vertx, client, service, port,
                Math.max(1, timeouts.request().toMillis()), metrics);
        // h2c off: Vert.x would otherwise switch such a connection to HTTP/2 (upgrade or
        // prior knowledge) and the proxy would forward HTTP/2 requests it does not handle well.
        // Off, an "Upgrade: h2c" is an ordinary HTTP/1.1 request (nginx's way) and a preface is
        // an HTTP/2.0 request line, which Vert.x's HTTP/1 decoder answers 501 and closes. The idle timeout covers HTTP listeners only: a TCP port may
        // carry database connections that are quiet for hours on purpose.
        // "Expect: 100-continue" is answered here at once, as nginx does, and not forwarded
        // (HttpExchange): forwarded, the replica's 100 stopped at the proxy's client and the
        // client waited its own timeout (curl: 1 s) before sending the body.
        HttpServerOptions options = new HttpServerOptions().setHttp2ClearTextEnabled(false)
                .setHandle100ContinueAutomatically(true)
                .setIdleTimeout((int) Math.max(1, timeouts.idle().toMillis())).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        http = vertx.createHttpServer(options).requestHandler(req -> handle(req, exchanges, upgrades))
                // A client that resets its connection is routine; Vert.x would log each at ERROR.
                .connectionHandler(c -> c.exceptionHandler(e -> LOG.debugf("service=%s proxy :%d client %s: %s", service,
                        port, c.remoteAddress(), e.toString())));
        http.listen(port, address).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void handle(HttpServerRequest req, HttpExchange.Port exchanges, HttpProxy upgrades) {
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
        // vertx-http-proxy's own test, so that what it would tunnel is what it gets.
        if (io.vertx.core.http.impl.HttpUtils.canUpgradeToWebSocket(req)) {
            upgrades.handle(req);
        } else {
            HttpExchange.start(exchanges, req, balancer.order());
        }
    }

    /** The origin of a WebSocket upgrade: the first replica, in the balancer's order, that takes a connection. */
    private Future<HttpClientRequest> connect(ProxyContext ctx) {
        return connect(ctx, balancer.order(), 0);
    }

    private Future<HttpClientRequest> connect(ProxyContext ctx, List<Backend> order, int i) {
        if (i >= order.size()) {
            return Future.failedFuture("no replica of " + service + " accepted the connection");
        }
        Backend b = order.get(i);
        Backend.Claim claim = b.claim();
        HttpServerRequest in = ctx.request().proxiedRequest();
        return ctx.client().request(new RequestOptions().setHost(b.host).setPort(b.port))
                .map(r -> {
                    // The replica sees the client's Host: vertx-http-proxy 4.5.27 drops it on upgrades.
                    if (in.authority() != null) {
                        r.authority(in.authority());
                    }
                    // endHandler belongs to handle() (metrics); the body end and close cover release.
                    in.response().bodyEndHandler(v -> claim.release());
                    in.response().closeHandler(v -> claim.release());
                    return r;
                })
                .recover(err -> {
                    claim.release();
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
            Backend.Claim claim = b.claim();
            Runnable release = () -> {
                if (claim.release()) {
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
