package dev.berth.api;

import dev.berth.app.Berth;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN while the state directory cannot be written (disk full, read-only, permissions), with the
 * failed write as {@code error}: Berth then cannot record revisions or rollouts, so passes that
 * need to fail and are retried, and what runs stays as it is. UP again by itself once a write
 * succeeds (see {@link dev.berth.state.StateStore#writeProblem()}).
 */
@Readiness
@ApplicationScoped
public class StateReadiness implements HealthCheck {
    @Inject
    jakarta.inject.Provider<Berth> berths;

    @Inject
    dev.berth.app.BerthDaemon daemon;

    @Override
    public HealthCheckResponse call() {
        if (daemon.role() == dev.berth.app.Role.PROXY) {
            // The data plane keeps no state store; DataPlaneReadiness reports its saved table.
            return HealthCheckResponse.named("state").up().withData("role", "proxy").build();
        }
        return check(berths.get());
    }

    /** The check itself, for a {@link Berth} built outside the container (tests). */
    public static HealthCheckResponse check(Berth berth) {
        var problem = berth.stateWriteProblem();
        var b = HealthCheckResponse.named("state").status(problem.isEmpty())
                .withData("dir", berth.settings().stateDir().toString());
        problem.ifPresent(p -> b.withData("error", p));
        return b.build();
    }
}
