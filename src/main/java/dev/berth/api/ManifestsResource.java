package dev.berth.api;

import dev.berth.desired.ServiceSpec;
import dev.berth.manifest.ManifestFile;
import dev.berth.manifest.ManifestHash;
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
 * writes ({@code If-Match}) from two deployers cannot both succeed against the same version
 * ({@link ManifestWrites}).
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
        ManifestWrites.Outcome o = writes(area).put(p, body == null ? new byte[0] : body, ifMatch, ifNoneMatch);
        if (o instanceof ManifestWrites.Written w) {
            if (w.changed()) {
                LOG.infof("manifest %s %s over the API by %s", area.source(p), w.created() ? "created" : "replaced", who());
                api.berth().wake("manifest " + area.source(p) + " written over the API");
            }
            return Response.status(w.created() ? 201 : 200).type(MediaType.APPLICATION_JSON)
                    .header("ETag", Preconditions.etag(w.hash()))
                    .entity(new Pushed(p.value(), w.hash(), w.created(), services(w.file()))).build();
        }
        return refusal(o);
    }

    @DELETE
    @Path("{path: .+}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Remove a manifest file (its services are removed); the empty-directory rule holds")
    public Response delete(@PathParam("path") String raw, @HeaderParam("If-Match") String ifMatch) throws IOException {
        ManifestArea area = api.area();
        ManifestPath p = ManifestsApi.path(raw);
        ManifestWrites.Outcome o = writes(area).delete(p, ifMatch,
                () -> api.berth().settings().allowEmpty() || !containersExist());
        if (o instanceof ManifestWrites.Removed) {
            LOG.infof("manifest %s removed over the API by %s", area.source(p), who());
            api.berth().wake("manifest " + area.source(p) + " removed over the API");
            return Response.noContent().build();
        }
        return refusal(o);
    }

    private ManifestWrites writes(ManifestArea area) {
        return new ManifestWrites(area, api.berth().manifests()::trial);
    }

    private static Response refusal(ManifestWrites.Outcome o) {
        if (o instanceof ManifestWrites.Invalid i) {
            return ManifestProblems.response(i.problems());
        }
        ManifestWrites.Refused r = (ManifestWrites.Refused) o;
        return ApiError.response(r.status(), r.message());
    }

    /** The services a file declares, with their declaration hashes (as status will show them). */
    static List<PushedService> services(ManifestFile file) {
        return file == null ? List.of() : file.declarations().stream()
                .filter(d -> d.spec() instanceof ServiceSpec)
                .map(d -> new PushedService(d.name(), d.hash())).toList();
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

    private String who() {
        return "api client " + (request == null || request.remoteAddress() == null ? "?" : request.remoteAddress().hostAddress());
    }
}
