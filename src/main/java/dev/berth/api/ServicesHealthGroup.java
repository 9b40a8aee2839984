package dev.berth.api;

import dev.berth.app.Berth;
import dev.berth.reconcile.ServiceStatus;
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
    Berth berth;

    @Override
    public HealthCheckResponse call() {
        var b = HealthCheckResponse.named("services");
        boolean all = true;
        for (ServiceStatus s : berth.status().services()) {
            int min = berth.minAvailable(s.name());
            boolean up = s.replicas().ready() >= min;
            all &= up;
            b.withData(s.name(), (up ? "UP" : "DOWN") + " " + s.phase() + " ready " + s.replicas().ready() + "/"
                    + s.replicas().desired() + " (min " + min + ")");
        }
        return b.status(all).build();
    }
}
