package dev.berth.api;

import dev.berth.app.Berth;
import jakarta.enterprise.context.ApplicationScoped;
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
public class StateReadiness extends ControlPlaneCheck {
    public StateReadiness() {
        super("state", StateReadiness::check);
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
