import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyOptions;
import java.util.Map;

/**
 * The floor under Berth's proxy (bench/proxy-layers.sh): a bare Vert.x server and client, on one
 * event loop, forwarding to one origin either through vertx-http-proxy ("library") or by the
 * plainest pass-through ("plain": the request head and body to a pooled connection, the status,
 * headers and body back, Connection and Keep-Alive dropped, X-Forwarded-For set). No timeouts,
 * retries, metrics or balancing: what is left is Vert.x's and Netty's own cost per request.
 *
 * <p>Usage: java -cp LIBS bench/lib/PassThrough.java library|plain ORIGIN_HOST ORIGIN_PORT PORT nio|epoll
 */
public class PassThrough {
    public static void main(String[] a) {
        String mode = a[0];
        String host = a[1];
        int originPort = Integer.parseInt(a[2]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(a[4].equals("epoll")));
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(512));
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false));
        if (mode.equals("library")) {
            server.requestHandler(HttpProxy.reverseProxy(new ProxyOptions(), client).origin(originPort, host));
        } else {
            server.requestHandler(req -> {
                req.pause();
                client.request(new RequestOptions().setHost(host).setPort(originPort).setMethod(req.method())
                        .setURI(req.uri())).onComplete(ar -> {
                            if (ar.failed()) {
                                req.response().setStatusCode(502).end();
                                return;
                            }
                            var out = ar.result();
                            copy(req.headers(), out.headers());
                            out.headers().set("X-Forwarded-For", req.remoteAddress().hostAddress());
                            out.send(req).onComplete(rr -> {
                                if (rr.failed()) {
                                    req.response().setStatusCode(502).end();
                                    return;
                                }
                                var in = rr.result();
                                req.response().setStatusCode(in.statusCode());
                                copy(in.headers(), req.response().headers());
                                req.response().setChunked(in.getHeader("content-length") == null);
                                in.pipeTo(req.response());
                            });
                        });
            });
        }
        server.listen(Integer.parseInt(a[3]), "127.0.0.1").onComplete(ar -> System.out.println(
                ar.succeeded() ? "listening, native transport " + vertx.isNativeTransportEnabled() : "failed: " + ar.cause()));
    }

    static void copy(MultiMap from, MultiMap to) {
        for (Map.Entry<String, String> h : from) {
            if (!h.getKey().equalsIgnoreCase("connection") && !h.getKey().equalsIgnoreCase("keep-alive")) {
                to.add(h.getKey(), h.getValue());
            }
        }
    }
}
