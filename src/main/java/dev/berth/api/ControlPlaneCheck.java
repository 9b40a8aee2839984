package dev.berth.api;

import dev.berth.app.Berth;
import dev.berth.app.BerthDaemon;
import dev.berth.app.Role;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * A health check about the control plane (engine, reconcile loop, state store, services). In the
 * proxy role the daemon has none of these, so every such check answers UP with {@code role: proxy}
 * under its own name and DataPlaneReadiness speaks for the data plane; in every other role the
 * subclass's {@link #check(Berth)} answers.
 */
abstract class ControlPlaneCheck implements HealthCheck {
    @Inject
    Provider<Berth> berths;

    @Inject
    BerthDaemon daemon;

    /** The name the check reports under, in every role. */
    protected abstract String name();

    /** The check itself, called only outside the proxy role. */
    protected abstract HealthCheckResponse checkControlPlane(Berth berth);

    @Override
    public HealthCheckResponse call() {
        if (daemon.role() == Role.PROXY) {
            return HealthCheckResponse.named(name()).up().withData("role", "proxy").build();
        }
        return checkControlPlane(berths.get());
    }
}
