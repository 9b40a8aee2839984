package dev.berth.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The proxy's per-port meters: registered once, dropped with their service, registered again after. */
class BerthMetricsTest {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final BerthMetrics metrics = new BerthMetrics(registry);

    double requests(String service) {
        var c = registry.find("berth.proxy.requests").tag("service", service).counter();
        return c == null ? -1 : c.count();
    }

    @Test
    void aPortsMetersAreKeptAndCountEveryRequest() {
        BerthMetrics.ProxyMeters m = metrics.proxyMeters("web", 8080);
        assertThat(metrics.proxyMeters("web", 8080)).isSameAs(m);
        m.record(Duration.ofMillis(3), false);
        m.record(Duration.ofMillis(5), true);
        metrics.proxyRequest("web", 8080, Duration.ofMillis(1), false);
        assertThat(requests("web")).isEqualTo(3.0);
        assertThat(registry.find("berth.proxy.errors").tag("service", "web").counter().count()).isEqualTo(1.0);
        assertThat(registry.find("berth.proxy.request").tag("service", "web").timer().count()).isEqualTo(3);
    }

    @Test
    void aServiceThatGoesTakesItsMetersAndComesBackWithNewOnes() {
        BerthMetrics.ProxyMeters web = metrics.proxyMeters("web", 8080);
        BerthMetrics.ProxyMeters api = metrics.proxyMeters("api", 9090);
        web.record(Duration.ofMillis(1), false);
        metrics.retain(Set.of("api"));
        assertThat(web.dropped()).isTrue();
        assertThat(api.dropped()).isFalse();
        assertThat(requests("web")).isEqualTo(-1.0);
        BerthMetrics.ProxyMeters again = metrics.proxyMeters("web", 8080);
        assertThat(again).isNotSameAs(web);
        again.record(Duration.ofMillis(1), false);
        assertThat(requests("web")).isEqualTo(1.0);
    }
}
