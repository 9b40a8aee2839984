package dev.berth.api;

import dev.berth.app.Berth;
import dev.berth.status.ServiceStatus;
import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/** /q/health/group/services: UP when every service has its minimum available replicas ready. */
@HealthGroup("services")
@ApplicationScoped
public class ServicesHealthGroup implements HealthCheck {
    @Inject
    jakarta.inject.Provider<Berth> berths;

    @Inject
    dev.berth.app.BerthDaemon daemon;

    @Override
    public HealthCheckResponse call() {
        if (daemon.role() == dev.berth.app.Role.PROXY) {
            // The data plane has no engine and no loop; DataPlaneReadiness speaks for it.
            return HealthCheckResponse.named("services").up().withData("role", "proxy").build();
        }
        Berth berth = berths.get();
        var b = HealthCheckResponse.named("services");
        boolean all = true;
        for (ServiceStatus s : berth.status().services()) {
            var v = berth.verdict(s);
            all &= v.up();
            b.withData(s.name(), v.word() + " " + s.phase() + " ready " + v.ready() + "/"
                    + s.replicas().desired() + " (min " + v.minAvailable() + ")");
        }
        return b.status(all).build();
    }
}
