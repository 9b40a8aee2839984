package dev.berth.api;

import dev.berth.app.Berth;
import dev.berth.app.BerthDaemon;
import dev.berth.app.Role;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.util.function.Function;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * A health check about the control plane (engine, reconcile loop, state store, services). In the
 * proxy role the daemon has none of these, so every such check answers UP with {@code role: proxy}
 * under its own name and DataPlaneReadiness speaks for the data plane; in every other role the
 * check function the subclass passes answers.
 */
abstract class ControlPlaneCheck implements HealthCheck {
    @Inject
    Provider<Berth> berths;

    @Inject
    BerthDaemon daemon;

    private final String name;
    private final Function<Berth, HealthCheckResponse> check;

    /**
     * @param name the name the check reports under, in every role
     * @param check the check itself, called only outside the proxy role
     */
    protected ControlPlaneCheck(String name, Function<Berth, HealthCheckResponse> check) {
        this.name = name;
        this.check = check;
    }

    @Override
    public HealthCheckResponse call() {
        if (daemon.role() == Role.PROXY) {
            return HealthCheckResponse.named(name).up().withData("role", "proxy").build();
        }
        return check.apply(berths.get());
    }
}
