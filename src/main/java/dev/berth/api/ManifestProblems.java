package dev.berth.api;

import dev.berth.manifest.Problem;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** The 422 answer to a manifest the loader would refuse: the error format with every problem (file, line, field, message). */
public record ManifestProblems(int status, String message, List<Problem> problems) {
    static Response response(List<Problem> problems) {
        String first = problems.isEmpty() ? "" : ": " + problems.get(0);
        String more = problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "";
        return Response.status(422).type(MediaType.APPLICATION_JSON).entity(new ManifestProblems(422,
                "the manifest would be refused" + first + more + "; nothing was written", List.copyOf(problems))).build();
    }
}
