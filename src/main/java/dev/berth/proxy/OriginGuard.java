package dev.berth.proxy;

import dev.berth.metrics.BerthMetrics;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import java.util.concurrent.TimeoutException;

/**
 * Holds each proxied request to {@link ProxyTimeouts#request()} and turns an origin that gives no
 * answer into a plain-text 504 (timeout) or 502 (refused, reset) for the client, counted in
 * {@code berth_proxy_origin_failures_total{service,reason}}. vertx-http-proxy alone answers an
 * empty 502 for all three and has no timeout.
 *
 * <p>A reset before the response headers is first offered to {@code resend} (the next replica,
 * for a request that can be sent again); only when that gives up does the client get its 502.
 *
 * <p>The clock starts when the interceptor runs, before a replica is picked, so the time to
 * connect and to send the body counts. On timeout the origin request is reset (its connection
 * closed, so the replica sees the client leave), or, when none was obtained yet, never sent.
 */
final class OriginGuard implements ProxyInterceptor {
    /** ProxyContext attachment: the HttpClientRequest to the chosen replica, set by PortProxy. */
    static final String ORIGIN = "berth.origin";
    /** ProxyContext attachment: Boolean.TRUE once no replica accepted the connection. */
    static final String REFUSED = "berth.refused";
    /** ProxyContext attachment: Boolean.TRUE once the request timeout fired. */
    static final String TIMED_OUT = "berth.timedOut";

    private final Vertx vertx;
    private final String service;
    private final long timeoutMillis;
    private final BerthMetrics metrics;
    /** Sends a reset request to the next replica, or answers null when it cannot go again. */
    private final java.util.function.Function<ProxyContext, Future<ProxyResponse>> resend;

    OriginGuard(Vertx vertx, String service, ProxyTimeouts timeouts, BerthMetrics metrics,
            java.util.function.Function<ProxyContext, Future<ProxyResponse>> resend) {
        this.vertx = vertx;
        this.resend = resend;
        this.service = service;
        this.timeoutMillis = Math.max(1, timeouts.request().toMillis());
        this.metrics = metrics;
    }

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext ctx) {
        Promise<ProxyResponse> answer = Promise.promise();
        long timer = vertx.setTimer(timeoutMillis, id -> {
            ctx.set(TIMED_OUT, Boolean.TRUE);
            // Answer first: resetting the origin fails sendRequest() below at once, on this thread.
            fail(ctx, answer, OriginFailure.TIMEOUT);
            HttpClientRequest origin = ctx.get(ORIGIN, HttpClientRequest.class);
            if (origin != null) {
                origin.reset(0, new TimeoutException("no response headers within " + timeoutMillis + " ms"));
            }
        });
        ctx.sendRequest().onComplete(ar -> {
            if (ar.failed() && classify(ctx) == OriginFailure.RESET) {
                Future<ProxyResponse> again = resend.apply(ctx);
                if (again != null) {
                    again.onComplete(retried -> settle(ctx, answer, timer, retried));
                    return;
                }
            }
            settle(ctx, answer, timer, ar);
        });
        return answer.future();
    }

    private void settle(ProxyContext ctx, Promise<ProxyResponse> answer, long timer, AsyncResult<ProxyResponse> ar) {
        vertx.cancelTimer(timer);
        if (ar.succeeded()) {
            if (!answer.tryComplete(ar.result())) {
                // Headers raced the timer and lost: the client has its 504; drop this answer.
                ar.result().release();
            }
        } else {
            fail(ctx, answer, classify(ctx));
        }
    }

    private static OriginFailure classify(ProxyContext ctx) {
        if (Boolean.TRUE.equals(ctx.get(TIMED_OUT, Boolean.class))) {
            return OriginFailure.TIMEOUT;
        }
        return Boolean.TRUE.equals(ctx.get(REFUSED, Boolean.class)) ? OriginFailure.REFUSED : OriginFailure.RESET;
    }

    /** Answers {@code f} unless the client was answered already; counts it once. */
    private void fail(ProxyContext ctx, Promise<ProxyResponse> answer, OriginFailure f) {
        if (answer.future().isComplete()) {
            return;
        }
        HttpServerRequest in = ctx.request().proxiedRequest();
        if (!in.response().closed()) {
            // A client that left is not the origin's failure.
            metrics.proxyOriginFailure(service, f.tag);
        }
        String text = f.message + " (service " + service + ")\n";
        answer.complete(ctx.request().release().response().setStatusCode(f.status)
                .putHeader("Content-Type", "text/plain").setBody(Body.body(Buffer.buffer(text))));
    }
}
