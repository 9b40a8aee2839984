package dev.berth.api;

import dev.berth.app.Berth;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the engine answers and the first reconcile pass has completed; DOWN, with the
 * engine's error as {@code error}, whenever a ping fails or the last pass found the engine
 * unreachable. Recovers by itself: every call pings afresh, and passes keep retrying.
 */
@Readiness
@ApplicationScoped
public class EngineReadiness extends ControlPlaneCheck {
    public EngineReadiness() {
        super("engine", EngineReadiness::check);
    }

    /** The check itself, for a {@link Berth} built outside the container (tests). */
    public static HealthCheckResponse check(Berth berth) {
        boolean engine;
        String error = null;
        try {
            berth.engine().ping();
            engine = true;
        } catch (RuntimeException e) {
            engine = false;
            error = e.getMessage();
        }
        boolean first = berth.loop().firstPassDone() && berth.status().engineReachable();
        var b = HealthCheckResponse.named("engine").status(engine && first)
                .withData("engineReachable", engine)
                .withData("firstPassDone", first);
        if (error != null) {
            b.withData("error", error);
        }
        return b.build();
    }
}
