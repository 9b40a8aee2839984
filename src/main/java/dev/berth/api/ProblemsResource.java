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
 * Rejected manifests (file, line, field, message), a refusal of the whole directory, and a
 * network or volume the engine refuses to create — each null or empty when there is none.
 */
@Path("/api/v1/problems")
@Produces(MediaType.APPLICATION_JSON)
public class ProblemsResource {
    @Inject
    Berth berth;

    public record Problems(List<Problem> problems, String refusal, String engineError) {}

    @GET
    public Problems list() {
        return new Problems(berth.status().problems(), berth.status().refusal(), berth.status().projectError());
    }
}
