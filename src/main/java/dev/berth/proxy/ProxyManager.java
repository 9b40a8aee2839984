package dev.berth.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Berth's traffic switch: opens a listener per proxied service port and keeps each one's members
 * equal to the replicas the reconciler names. A replica leaves at once (no new requests) and is
 * drained: {@link #drain} completes when its in-flight requests are done or the deadline passes.
 */
public final class ProxyManager implements TrafficSwitch {
    private static final Logger LOG = Logger.getLogger(ProxyManager.class);

    private final Vertx vertx;
    private final String address;
    private final HttpClient client;
    private final Map<Integer, PortProxy> listeners = new ConcurrentHashMap<>();

    private final dev.berth.metrics.BerthMetrics metrics;
    private final ProxyTimeouts timeouts;

    public ProxyManager(Vertx vertx, String address) {
        this(vertx, address, new dev.berth.metrics.BerthMetrics(null));
    }

    public ProxyManager(Vertx vertx, String address, dev.berth.metrics.BerthMetrics metrics) {
        this(vertx, address, metrics, ProxyTimeouts.DEFAULTS);
    }

    public ProxyManager(Vertx vertx, String address, dev.berth.metrics.BerthMetrics metrics, ProxyTimeouts timeouts) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.address = address;
        this.timeouts = timeouts;
        if (timeouts.idle().compareTo(timeouts.request()) <= 0) {
            LOG.warnf("proxy idle timeout %s is not above the request timeout %s: a slow request loses its client "
                    + "connection before it can be answered 504", timeouts.idle(), timeouts.request());
        }
        // Vert.x pools 5 connections per origin by default; a busy service needs far more.
        // A replica that resets a connection fails the request it carried (502, counted by
        // HttpExchange); without a handler Vert.x would also log each one at ERROR.
        this.client = vertx.httpClientBuilder().with(new HttpClientOptions().setKeepAlive(true)
                .setConnectTimeout(Backend.CONNECT_TIMEOUT_MS).setMaxInitialLineLength(16384).setMaxHeaderSize(65536))
                .with(new PoolOptions().setHttp1MaxSize(512)
                .setMaxWaitQueueSize(-1))
                .withConnectHandler(c -> c.exceptionHandler(e -> LOG.debugf("proxy: origin connection %s: %s",
                        c.remoteAddress(), e.toString())))
                .build();
    }

    /**
     * Brings listeners and members in line with {@code routes}. Answers, per service, why a port
     * could not be opened (an empty map when all is well). Safe to call after every pass.
     */
    @Override
    public synchronized Map<String, String> apply(List<Route> routes) {
        Map<String, String> errors = new HashMap<>();
        Set<Integer> wanted = new HashSet<>();
        for (Route r : routes) {
            for (Route.Port p : r.ports()) {
                wanted.add(p.hostPort());
                PortProxy pp = listeners.get(p.hostPort());
                if (pp != null && (!pp.service.equals(r.service()) || !pp.protocol.equals(p.protocol()))) {
                    pp.close();
                    listeners.remove(p.hostPort());
                    pp = null;
                }
                List<Backend> members = new ArrayList<>();
                for (Route.Member m : r.members()) {
                    Integer lp = m.loopbackPorts().get(p.targetPort());
                    if (m.address() != null) {
                        members.add(new Backend(m.containerId(), m.address(), p.targetPort()));
                    } else if (lp != null) {
                        members.add(new Backend(m.containerId(), lp));
                    }
                }
                if (pp == null) {
                    pp = new PortProxy(vertx, r.service(), p.hostPort(), p.protocol(), metrics, timeouts);
                    // Members before the port opens: a restarted data plane's first requests
                    // must not find an empty listener (503) for the moment in between.
                    pp.balancer.set(members);
                    try {
                        pp.listen(address, client);
                        listeners.put(p.hostPort(), pp);
                        LOG.infof("service=%s proxy listening on %s:%d (%s)", r.service(), address, p.hostPort(), p.protocol());
                        String hint = EphemeralPorts.hint(p.hostPort());
                        if (hint != null) {
                            LOG.warnf("service=%s %s", r.service(), hint);
                        }
                    } catch (Exception e) {
                        pp.close();
                        Throwable root = e.getCause() == null ? e : e.getCause();
                        String hint = EphemeralPorts.hint(p.hostPort());
                        errors.put(r.service(), "cannot listen on " + address + ":" + p.hostPort() + ": " + root.getMessage()
                                + (hint == null ? "" : " (" + hint + ")"));
                        continue;
                    }
                }
                List<Backend> left = pp.balancer.set(members);
                for (Backend b : left) {
                    LOG.infof("service=%s proxy :%d stops sending to %s (%d in flight)", r.service(), p.hostPort(), b,
                            b.inFlight.get());
                }
            }
        }
        for (var it = listeners.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!wanted.contains(e.getKey())) {
                LOG.infof("service=%s proxy closes port %d", e.getValue().service, e.getKey());
                e.getValue().close();
                it.remove();
            }
        }
        return errors;
    }

    /** True while {@code containerId} is a member of any listener. */
    @Override
    public boolean isMember(String containerId) {
        return listeners.values().stream().anyMatch(p -> p.balancer.members().stream()
                .anyMatch(b -> b.containerId.equals(containerId)));
    }

    /**
     * Takes the replica out of every listener and completes once nothing is in flight to it, or
     * at {@code deadline}, whichever comes first. Never fails.
     */
    @Override
    public CompletableFuture<Void> drain(String containerId, Duration deadline) {
        List<Backend> leaving = new ArrayList<>();
        synchronized (this) {
            for (PortProxy p : listeners.values()) {
                List<Backend> keep = new ArrayList<>();
                for (Backend b : p.balancer.members()) {
                    if (b.containerId.equals(containerId)) {
                        leaving.add(b);
                    } else {
                        keep.add(b);
                    }
                }
                p.balancer.set(keep);
            }
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        Instant until = Instant.now().plus(deadline);
        Runnable check = new Runnable() {
            @Override
            public void run() {
                boolean idle = leaving.stream().allMatch(b -> b.inFlight.get() <= 0);
                if (idle || !Instant.now().isBefore(until)) {
                    done.complete(null);
                } else {
                    vertx.setTimer(50, id -> this.run());
                }
            }
        };
        check.run();
        return done;
    }

    /** Requests and 5xx answers per listening port, for status and metrics. */
    @Override
    public Map<Integer, long[]> counters() {
        Map<Integer, long[]> out = new HashMap<>();
        listeners.forEach((port, p) -> out.put(port, new long[] {p.requests.get(), p.errors.get()}));
        return out;
    }

    @Override
    public synchronized void close() {
        listeners.values().forEach(PortProxy::close);
        listeners.clear();
        client.close();
    }
}
