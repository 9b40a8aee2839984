package dev.berth.api;

import dev.berth.app.Berth;
import dev.berth.manifest.Problem;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * Rejected manifests (file, line, field, message), a refusal of the whole directory, a network
 * or volume the engine refuses to create, and state files Berth cannot read (their services are
 * left as they run) — each null or empty when there is none.
 */
@Path("/api/v1/problems")
@Produces(MediaType.APPLICATION_JSON)
public class ProblemsResource {
    @Inject
    Berth berth;

    public record Problems(List<Problem> problems, String refusal, String engineError, List<StateProblem> state) {}

    /** A service's state file that cannot be read: the service is not reconciled until it is fixed or removed. */
    public record StateProblem(String service, String file, String reason) {}

    @GET
    public Problems list() {
        List<StateProblem> state = berth.unreadableState().values().stream()
                .map(e -> new StateProblem(e.service(), e.file().toString(), e.reason()))
                .sorted(java.util.Comparator.comparing(StateProblem::service)).toList();
        return new Problems(berth.status().problems(), berth.status().refusal(), berth.status().projectError(), state);
    }
}
