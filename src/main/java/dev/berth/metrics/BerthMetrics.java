package dev.berth.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Berth's metrics, named for Prometheus (Micrometer adds the units and suffixes):
 * {@code berth_service_replicas{service,kind}}, {@code berth_service_revision},
 * {@code berth_service_min_available}, {@code berth_rollouts_total{service,result}},
 * {@code berth_rollout_duration_seconds}, {@code berth_reconcile_pass_seconds},
 * {@code berth_reconcile_errors_total}, {@code berth_engine_errors_total},
 * {@code berth_proxy_requests_total{service,port}}, {@code berth_proxy_errors_total},
 * {@code berth_proxy_request_seconds}, {@code berth_proxy_origin_failures_total{service,reason}}.
 * Thread-safe.
 */
public final class BerthMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> gauges = new ConcurrentHashMap<>();

    private final java.util.Set<String> known = ConcurrentHashMap.newKeySet();

    /** Counters exist at 0 from the start, so an alert on their increase sees the first one. */
    public BerthMetrics(MeterRegistry registry) {
        this.registry = registry == null ? new SimpleMeterRegistry() : registry;
        Counter.builder("berth.reconcile.errors").register(this.registry);
        Counter.builder("berth.engine.errors").description("Failed calls to the Docker engine").register(this.registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Sets a per-service gauge (registered on first use). */
    /**
     * A service's gauges from its status, on either backend: desired is the status' (one host: the
     * manifest's replicas; Swarm: the replicas the live service has, which a scale by hand changes).
     */
    public void service(dev.berth.desired.ServiceSpec spec, dev.berth.status.ServiceStatus status) {
        var r = status.replicas();
        service(spec.name(), r.desired(), r.ready(), r.updated(), status.revision(),
                dev.berth.plan.RolloutMath.minHealthy(spec));
    }

    public void service(String service, int desired, int ready, int updated, int revision, int minAvailable) {
        if (known.add(service)) {
            for (String result : java.util.List.of("started", "succeeded", "failed", "rolled_back")) {
                rollouts(service, result);
            }
        }
        gauge("berth.service.replicas", service, "desired").set(desired);
        gauge("berth.service.replicas", service, "ready").set(ready);
        gauge("berth.service.replicas", service, "updated").set(updated);
        gauge("berth.service.revision", service, null).set(revision);
        gauge("berth.service.min.available", service, null).set(minAvailable);
    }

    private AtomicInteger gauge(String name, String service, String kind) {
        return gauges.computeIfAbsent(name + "|" + service + "|" + kind, k -> {
            AtomicInteger v = new AtomicInteger();
            Gauge.Builder<AtomicInteger> b = Gauge.builder(name, v, AtomicInteger::get).tag("service", service);
            if (kind != null) {
                b.tag("kind", kind);
            }
            b.register(registry);
            return v;
        });
    }

    /** result: started, succeeded, failed, rolled_back. */
    public void rollout(String service, String result) {
        rollouts(service, result).increment();
    }

    private Counter rollouts(String service, String result) {
        return Counter.builder("berth.rollouts").tag("service", service).tag("result", result)
                .description("Rollouts by outcome").register(registry);
    }

    /** Drops every series of services no manifest declares any more. */
    public void retain(java.util.Set<String> services) {
        if (services.containsAll(known) && proxyMeters.values().stream().allMatch(m -> services.contains(m.service))) {
            return; // no service left since the last call (each pass calls this): nothing to walk
        }
        for (io.micrometer.core.instrument.Meter m : registry.getMeters()) {
            String s = m.getId().getTag("service");
            if (s != null && !services.contains(s)) {
                registry.remove(m);
            }
        }
        gauges.keySet().removeIf(k -> !services.contains(k.split("\\|", -1)[1]));
        proxyMeters.values().removeIf(m -> {
            m.dropped = !services.contains(m.service);
            return m.dropped;
        });
        known.retainAll(services);
    }

    /** From the manifest change (rollout start) to the rollout's completion. */
    public void rolloutDuration(String service, Duration d) {
        Timer.builder("berth.rollout.duration").tag("service", service).register(registry).record(d);
    }

    public void pass(Duration d) {
        Timer.builder("berth.reconcile.pass").description("Reconcile pass duration").register(registry).record(d);
    }

    public void passError() {
        Counter.builder("berth.reconcile.errors").register(registry).increment();
    }

    public void engineError() {
        Counter.builder("berth.engine.errors").description("Failed calls to the Docker engine").register(registry)
                .increment();
    }

    /** The reasons of {@link #proxyOriginFailure}, each a series from the start. */
    public static final java.util.List<String> ORIGIN_FAILURE_REASONS = java.util.List.of("timeout", "refused", "reset");

    /** Registers a proxied HTTP service's origin-failure counters at 0. Idempotent. */
    public void proxyService(String service) {
        for (String reason : ORIGIN_FAILURE_REASONS) {
            originFailures(service, reason);
        }
    }

    /**
     * A proxied request that a replica did not answer. reason: timeout (504), refused (no replica
     * accepted the connection, 502), reset (closed before its response headers, 502).
     */
    public void proxyOriginFailure(String service, String reason) {
        originFailures(service, reason).increment();
    }

    /**
     * A proxied request that a replica reset before answering, sent again to the next replica
     * (only requests without a body and with an idempotent method are).
     */
    public void proxyRetry(String service) {
        Counter.builder("berth.proxy.retries").tag("service", service)
                .description("Proxied requests sent again to another replica after one reset them").register(registry)
                .increment();
    }

    private Counter originFailures(String service, String reason) {
        return Counter.builder("berth.proxy.origin.failures").tag("service", service).tag("reason", reason)
                .description("Proxied requests that no replica answered, by reason").register(registry);
    }

    public void proxyRequest(String service, int port, Duration latency, boolean error) {
        proxyMeters(service, port).record(latency, error);
    }

    /**
     * The series of one proxied port (requests, errors, latency), registered once. A proxy
     * records one request after another: looking its three meters up in the registry each time
     * (a builder, tags and an id per meter) costs more than keeping them. Dropped with their
     * service ({@link #retain}); a holder then asks again.
     */
    public ProxyMeters proxyMeters(String service, int port) {
        return proxyMeters.computeIfAbsent(service + "|" + port, k -> {
            String p = Integer.toString(port);
            return new ProxyMeters(service,
                    Counter.builder("berth.proxy.requests").tag("service", service).tag("port", p).register(registry),
                    Counter.builder("berth.proxy.errors").tag("service", service).tag("port", p).register(registry),
                    Timer.builder("berth.proxy.request").tag("service", service).tag("port", p).register(registry));
        });
    }

    private final Map<String, ProxyMeters> proxyMeters = new java.util.concurrent.ConcurrentHashMap<>();

    /** One proxied port's meters; {@link #dropped()} once its service's series were removed. */
    public static final class ProxyMeters {
        private final String service;
        private final Counter requests;
        private final Counter errors;
        private final Timer latency;
        private volatile boolean dropped;

        ProxyMeters(String service, Counter requests, Counter errors, Timer latency) {
            this.service = service;
            this.requests = requests;
            this.errors = errors;
            this.latency = latency;
        }

        public void record(Duration took, boolean error) {
            requests.increment();
            if (error) {
                errors.increment();
            }
            latency.record(took);
        }

        public boolean dropped() {
            return dropped;
        }
    }
}
