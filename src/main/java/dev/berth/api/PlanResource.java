package dev.berth.api;

import dev.berth.desired.ServiceSpec;
import dev.berth.manifest.Declaration;
import dev.berth.manifest.Problem;
import dev.berth.manifest.Trial;
import dev.berth.plan.ServiceChange;
import dev.berth.plan.SpecDiff;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The dry run: what Berth would do if a manifest file were written, per service, compared with
 * the desired state the reconcile loop last loaded ({@link dev.berth.manifest.ManifestLoader#current}).
 * The body is checked exactly as a push is; nothing is written and nothing is locked. Without
 * {@code path} the body is a new file and removes nothing.
 */
@Path("/api/v1/plan")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "manifests")
public class PlanResource {
    /** The name a body without {@code path} is checked under: hidden, so it is never a file the loader reads. */
    static final String UNNAMED = ".berth-plan.yaml";
    /** How problems of a body without {@code path} name it. */
    static final String UNNAMED_SHOWN = "(body)";

    @Inject
    ManifestsApi api;

    public record DryRun(List<ServiceChange> services, List<Problem> problems) {}

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "What Berth would do if this manifest were written at ?path= (create, update, scale, remove, unchanged per service); changes nothing")
    public Response plan(@QueryParam("path") String raw, byte[] body) throws IOException {
        ManifestArea area = api.areaForReading();
        String source = raw == null || raw.isEmpty() ? null : area.source(ManifestsApi.path(raw));
        Trial trial = api.berth().manifests().trial(source == null ? area.source(new ManifestPath(UNNAMED)) : source,
                body == null ? new byte[0] : body);
        if (!trial.accepted()) {
            return ManifestProblems.response(source != null ? trial.problems() : trial.problems().stream()
                    .map(p -> new Problem(p.file().endsWith(UNNAMED) ? UNNAMED_SHOWN : p.file(), p.line(), p.field(),
                            p.message().replace(area.source(new ManifestPath(UNNAMED)), UNNAMED_SHOWN)))
                    .toList());
        }
        Map<String, ServiceSpec> after = new TreeMap<>();
        for (Declaration d : trial.file().declarations()) {
            if (d.spec() instanceof ServiceSpec s) {
                after.put(s.name(), s);
            }
        }
        Map<String, ServiceSpec> before = SpecDiff.concerned(api.berth().manifests().current().services(), source, after);
        return Response.ok(new DryRun(SpecDiff.of(before, after), List.of()), MediaType.APPLICATION_JSON).build();
    }
}
