package dev.berth.api;

import dev.berth.app.Berth;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while the reconcile loop runs and no pass is stuck for longer than the pull timeout plus five minutes. */
@Liveness
@ApplicationScoped
public class LoopLiveness extends ControlPlaneCheck {
    public LoopLiveness() {
        super("reconcile-loop", LoopLiveness::check);
    }

    /** The check itself, for a {@link Berth} built outside the container (tests). */
    public static HealthCheckResponse check(Berth berth) {
        var loop = berth.loop();
        return HealthCheckResponse.named("reconcile-loop")
                .status(loop.isAlive(berth.settings().pullTimeout().plus(Duration.ofMinutes(5))))
                .withData("passes", loop.passes())
                .withData("lastPassEnd", String.valueOf(loop.lastPassEnd()))
                .build();
    }
}
