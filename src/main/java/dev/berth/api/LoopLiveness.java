package dev.berth.api;

import dev.berth.app.Berth;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while the reconcile loop runs and no pass is stuck for longer than the pull timeout plus five minutes. */
@Liveness
@ApplicationScoped
public class LoopLiveness implements HealthCheck {
    @Inject
    jakarta.inject.Provider<Berth> berths;

    @Inject
    dev.berth.app.BerthDaemon daemon;

    @Override
    public HealthCheckResponse call() {
        if (daemon.role() == dev.berth.app.Role.PROXY) {
            // The data plane has no engine and no loop; DataPlaneReadiness speaks for it.
            return HealthCheckResponse.named("reconcile-loop").up().withData("role", "proxy").build();
        }
        Berth berth = berths.get();
        var loop = berth.loop();
        return HealthCheckResponse.named("reconcile-loop")
                .status(loop.isAlive(berth.settings().pullTimeout().plus(Duration.ofMinutes(5))))
                .withData("passes", loop.passes())
                .withData("lastPassEnd", String.valueOf(loop.lastPassEnd()))
                .build();
    }
}
