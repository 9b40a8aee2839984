package dev.berth.api;

import dev.berth.app.Berth;
import dev.berth.app.BerthDaemon;
import dev.berth.app.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The data plane's part of readiness. Role {@code control}: DOWN while the data plane cannot be
 * reached (with the reason; it keeps serving its last table meanwhile). Role {@code proxy}: UP
 * once the last table is applied and the admin channel listens. Role {@code all}: the proxy is
 * in this process, UP.
 */
@Readiness
@ApplicationScoped
public class DataPlaneReadiness implements HealthCheck {
    @Inject
    jakarta.inject.Provider<Berth> berths;

    @Inject
    BerthDaemon daemon;

    @Override
    public HealthCheckResponse call() {
        Role role = daemon.role();
        var b = HealthCheckResponse.named("data-plane").withData("role", role.name().toLowerCase(java.util.Locale.ROOT));
        if (role == Role.PROXY) {
            var dp = daemon.dataPlane();
            if (dp == null) {
                return b.down().withData("reason", "starting").build();
            }
            dp.describe().forEach((k, v) -> b.withData(k, String.valueOf(v)));
            return b.up().build();
        }
        String why = berths.get().trafficSwitch().unreachable();
        if (why != null) {
            return b.down().withData("reason", why).build();
        }
        return b.up().build();
    }
}
