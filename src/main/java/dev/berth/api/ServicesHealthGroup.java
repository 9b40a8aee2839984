package dev.berth.api;

import dev.berth.app.Berth;
import dev.berth.status.ServiceStatus;
import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;

/** /q/health/group/services: UP when every service has its minimum available replicas ready. */
@HealthGroup("services")
@ApplicationScoped
public class ServicesHealthGroup extends ControlPlaneCheck {
    public ServicesHealthGroup() {
        super("services", ServicesHealthGroup::check);
    }

    /** The check itself, for a {@link Berth} built outside the container (tests). */
    public static HealthCheckResponse check(Berth berth) {
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
