package dev.berth.api;

import dev.berth.desired.ServiceSpec;
import dev.berth.manifest.ManifestFile;
import dev.berth.manifest.ManifestHash;
import dev.berth.manifest.Trial;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Manifest files over the API (docs/api.md#manifests). A push is checked exactly as the loader
 * would check it, in the context of the whole directory ({@link dev.berth.manifest.ManifestLoader#trial}),
 * and written atomically only when the loader would accept it; the reconcile loop then loads it
 * like any other change of the directory. Check and write happen under one lock, so conditional
 * writes ({@code If-Match}) from two deployers cannot both succeed against the same version.
 */
@Path("/api/v1/manifests")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "manifests")
public class ManifestsResource {
    private static final Logger LOG = Logger.getLogger(ManifestsResource.class);
    static final String YAML = "application/yaml";

    @Inject
    ManifestsApi api;

    @jakarta.ws.rs.core.Context
    io.vertx.core.http.HttpServerRequest request;

    /** A service the pushed file declares, with the hash its status shows once the daemon loaded it. */
    public record PushedService(String name, String manifestHash) {}

    public record Pushed(String path, String hash, boolean created, List<PushedService> services) {}

    @GET
    @Operation(summary = "The manifest files the API reaches, with their content hash and size, sorted by path")
    public List<ManifestArea.Entry> list() throws IOException {
        return api.area().list();
    }

    @GET
    @Path("{path: .+}")
    @Produces({YAML, MediaType.APPLICATION_JSON})
    @Operation(summary = "One manifest file's bytes, with its hash as ETag")
    public Response get(@PathParam("path") String raw) throws IOException {
        ManifestPath p = ManifestsApi.path(raw);
        Optional<byte[]> bytes = read(p);
        if (bytes.isEmpty()) {
            return ApiError.response(404, "no manifest file '" + p + "'");
        }
        return Response.ok(bytes.get(), YAML).header("ETag", Preconditions.etag(ManifestHash.ofBytes(bytes.get()))).build();
    }

    @PUT
    @Path("{path: .+}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Validate a manifest file as the loader would (with the whole directory) and write it atomically")
    public Response put(@PathParam("path") String raw, @HeaderParam("If-Match") String ifMatch,
            @HeaderParam("If-None-Match") String ifNoneMatch, byte[] body) throws IOException {
        ManifestArea area = api.area();
        ManifestPath p = ManifestsApi.path(raw);
        byte[] content = body == null ? new byte[0] : body;
        area.writes().lock();
        try {
            Optional<byte[]> current = read(p);
            String refusal = Preconditions.refusal(ifMatch, ifNoneMatch, current.map(ManifestHash::ofBytes).orElse(null));
            if (refusal != null) {
                return ApiError.response(412, refusal);
            }
            Trial trial = api.berth().manifests().trial(area.source(p), content);
            if (!trial.accepted()) {
                return ManifestProblems.response(trial.problems());
            }
            if (current.isEmpty() || !java.util.Arrays.equals(current.get(), content)) {
                write(area, p, content);
                LOG.infof("manifest %s %s over the API by %s", area.source(p), current.isEmpty() ? "created" : "replaced", who());
                api.berth().wake("manifest " + area.source(p) + " written over the API");
            }
            String hash = ManifestHash.ofBytes(content);
            return Response.status(current.isEmpty() ? 201 : 200).type(MediaType.APPLICATION_JSON)
                    .header("ETag", Preconditions.etag(hash))
                    .entity(new Pushed(p.value(), hash, current.isEmpty(), services(trial.file()))).build();
        } finally {
            area.writes().unlock();
        }
    }

    @DELETE
    @Path("{path: .+}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Remove a manifest file (its services are removed); the empty-directory rule holds")
    public Response delete(@PathParam("path") String raw, @HeaderParam("If-Match") String ifMatch) throws IOException {
        ManifestArea area = api.area();
        ManifestPath p = ManifestsApi.path(raw);
        area.writes().lock();
        try {
            Optional<byte[]> current = read(p);
            if (current.isEmpty()) {
                return ApiError.response(404, "no manifest file '" + p + "'");
            }
            String refusal = Preconditions.refusal(ifMatch, null, ManifestHash.ofBytes(current.get()));
            if (refusal != null) {
                return ApiError.response(412, refusal);
            }
            Trial trial = api.berth().manifests().trial(area.source(p), null);
            if (!trial.accepted()) {
                return ManifestProblems.response(trial.problems());
            }
            if (trial.declaresNothing() && !api.berth().settings().allowEmpty() && containersExist()) {
                return ApiError.response(409, "removing " + p + " would leave the manifests directory declaring no "
                        + "services while Berth's containers run; Berth refuses to act on such a directory. Set "
                        + "berth.allow-empty=true (BERTH_ALLOW_EMPTY) to allow it");
            }
            try {
                area.delete(p);
            } catch (ManifestPath.Invalid e) {
                return ApiError.response(400, e.getMessage());
            }
            LOG.infof("manifest %s removed over the API by %s", area.source(p), who());
            api.berth().wake("manifest " + area.source(p) + " removed over the API");
            return Response.noContent().build();
        } finally {
            area.writes().unlock();
        }
    }

    /** The services a file declares, with their declaration hashes (as status will show them). */
    static List<PushedService> services(ManifestFile file) {
        return file == null ? List.of() : file.declarations().stream()
                .filter(d -> d.spec() instanceof ServiceSpec)
                .map(d -> new PushedService(d.name(), ManifestHash.of(d))).toList();
    }

    /** As the loop's refusal counts them: any container of Berth's, which status shows per declared service. */
    private boolean containersExist() {
        return api.berth().status().services().stream().anyMatch(s -> !s.containers().isEmpty());
    }

    private Optional<byte[]> read(ManifestPath p) throws IOException {
        try {
            return api.area().read(p);
        } catch (ManifestPath.Invalid e) {
            throw new jakarta.ws.rs.WebApplicationException(ApiError.response(400, e.getMessage()));
        }
    }

    private static void write(ManifestArea area, ManifestPath p, byte[] content) throws IOException {
        try {
            area.write(p, content);
        } catch (ManifestPath.Invalid e) {
            throw new jakarta.ws.rs.WebApplicationException(ApiError.response(400, e.getMessage()));
        }
    }

    private String who() {
        return "api client " + (request == null || request.remoteAddress() == null ? "?" : request.remoteAddress().hostAddress());
    }
}
