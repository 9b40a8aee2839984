package dev.berth.proxy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyOptions;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One listening host port of one service. HTTP goes through Vert.x's reverse proxy (keep-alive
 * to origins, WebSocket upgrades) with Berth's choice of origin: a failed connect is retried on
 * the next replica (nothing was sent yet, so any method is safe to retry). TCP is piped both
 * ways. With no ready replica, HTTP answers 503.
 */
final class PortProxy {
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

    PortProxy(Vertx vertx, String service, int port, String protocol, dev.berth.metrics.BerthMetrics metrics) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.service = service;
        this.port = port;
        this.protocol = protocol;
    }

    /** Binds the port; throws when it cannot (port taken, no permission). */
    void listen(String address, HttpClient client) throws Exception {
        if ("tcp".equals(protocol)) {
            tcpClient = vertx.createNetClient(new io.vertx.core.net.NetClientOptions().setConnectTimeout(1000));
            tcp = vertx.createNetServer().connectHandler(this::pipe);
            tcp.listen(port, address).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return;
        }
        HttpProxy proxy = HttpProxy.reverseProxy(new ProxyOptions().setSupportWebSocket(true), client);
        proxy.origin(this::connect);
        proxy.addInterceptor(new ForwardedHeaders());
        http = vertx.createHttpServer().requestHandler(req -> handle(req, proxy));
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
        return ctx.client().request(new RequestOptions().setHost("127.0.0.1").setPort(b.port))
                .onSuccess(r -> {
                    var response = ctx.request().proxiedRequest().response();
                    // endHandler belongs to handle() (metrics); the body end and close cover release.
                    response.bodyEndHandler(v -> release.run());
                    response.closeHandler(v -> release.run());
                    response.exceptionHandler(e -> release.run());
                })
                .recover(err -> {
                    release.run();
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

    /** X-Forwarded-For/-Proto/-Host, as proxies in front of web apps set them. */
    private static final class ForwardedHeaders implements ProxyInterceptor {
        @Override
        public Future<ProxyResponse> handleProxyRequest(ProxyContext ctx) {
            ProxyRequest r = ctx.request();
            HttpServerRequest in = r.proxiedRequest();
            String remote = in.remoteAddress() == null ? null : in.remoteAddress().hostAddress();
            if (remote != null) {
                String prior = r.headers().get("X-Forwarded-For");
                r.headers().set("X-Forwarded-For", prior == null ? remote : prior + ", " + remote);
            }
            r.headers().set("X-Forwarded-Proto", in.scheme() == null ? "http" : in.scheme());
            if (in.authority() != null) {
                r.headers().set("X-Forwarded-Host", in.authority().toString());
            }
            return ctx.sendRequest();
        }
    }
}
