package dev.berth.api;

import dev.berth.app.Berth;
import dev.berth.rollout.Command;
import dev.berth.rollout.CommandRejected;
import dev.berth.state.RevisionRecord;
import dev.berth.status.ServiceStatus;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Services: status as the last reconcile pass saw it, revision history, a health answer for
 * load balancers, and the operator's actions. Actions are applied by the reconcile loop; the
 * answer (202) comes after the pass that applied them, with the resulting status.
 */
@Path("/api/v1/services")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "services")
public class ServicesResource {
    static final long ACTION_WAIT_SECONDS = 15;

    @Inject
    Berth berth;

    @Context
    HttpServerRequest request;

    @Context
    jakarta.ws.rs.core.UriInfo uri;

    @GET
    @Operation(summary = "Every service with its status")
    public List<ServiceStatus> list() {
        return berth.status().services();
    }

    @GET
    @Path("{name}")
    @Operation(summary = "One service's status")
    public ServiceStatus get(@PathParam("name") String name) {
        return berth.status().service(name)
                .orElseThrow(() -> new NotFoundException(ApiError.response(404, "no service named '" + name + "'")));
    }

    /** One kept revision, as history shows it. */
    public record Revision(int revision, String specHash, String image, String imageDigest, Instant createdAt,
            Instant deployedAt, String outcome, boolean current) {}

    @GET
    @Path("{name}/revisions")
    @Operation(summary = "The service's kept revisions, oldest first, with their outcome")
    public List<Revision> revisions(@PathParam("name") String name) {
        ServiceStatus s = get(name);
        return berth.revisions(name).stream().map(r -> revision(r, s)).toList();
    }

    private static Revision revision(RevisionRecord r, ServiceStatus s) {
        return new Revision(r.revision(), r.specHash(), r.image(), r.imageDigest(), r.createdAt(), r.deployedAt(), r.outcome(),
                r.specHash().equals(s.specHash()));
    }

    /** The health answer for monitors: 200 when at least the minimum available replicas are ready. */
    public record Health(String service, String status, int ready, int desired, int minAvailable, String phase) {}

    @GET
    @Path("{name}/health")
    @Operation(summary = "200 when the service has at least replicas − maxUnavailable ready replicas, else 503")
    public Response health(@PathParam("name") String name) {
        ServiceStatus s = berth.status().service(name).orElse(null);
        if (s == null) {
            return ApiError.response(404, "no service named '" + name + "'");
        }
        var v = berth.verdict(s);
        Health h = new Health(name, v.word(), v.ready(), s.replicas().desired(), v.minAvailable(), s.phase().name());
        return Response.status(v.up() ? 200 : 503).type(MediaType.APPLICATION_JSON).entity(h).build();
    }

    /** Most lines of history a logs call may ask for. */
    static final int MAX_TAIL = 100_000;
    private static final LogFollowers FOLLOWERS = new LogFollowers(LogFollowers.MAX);

    @GET
    @Path("{name}/logs")
    @Produces({MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON})
    @Operation(summary = "A replica's stdout and stderr through the engine (text; on Swarm, a task's through the manager); ?tail=100&follow=false&replica=ORDINAL&timestamps=false")
    public Response logs(@PathParam("name") String name, @QueryParam("tail") @DefaultValue("100") int tail,
            @QueryParam("follow") @DefaultValue("false") boolean follow, @QueryParam("replica") Integer replica,
            @QueryParam("timestamps") @DefaultValue("false") boolean timestamps) {
        if (tail < 0 || tail > MAX_TAIL) {
            return ApiError.response(400, "tail must be between 0 and " + MAX_TAIL + " (got " + tail + ")");
        }
        ServiceStatus s = get(name);
        ServiceStatus.ReplicaStatus r = ReplicaChoice.of(s, replica).orElse(null);
        if (r == null) {
            return ApiError.response(404, replica == null ? "service '" + name + "' has no replica to read logs from"
                    : "service '" + name + "' has no replica with ordinal " + replica);
        }
        String busy = "at most " + LogFollowers.MAX + " log streams are followed at once (each holds a thread of the "
                + "API); try again later, or read without follow";
        if (follow && FOLLOWERS.full()) {
            return ApiError.response(429, busy);
        }
        jakarta.ws.rs.core.StreamingOutput out = stream -> {
            if (follow && !FOLLOWERS.enter()) {
                // Another request took the last slot since the check above; the answer has begun.
                stream.write(("berth: " + busy + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return;
            }
            try {
                dev.berth.engine.LogSink sink = chunk -> {
                    stream.write(chunk);
                    stream.flush();
                };
                if (berth.settings().backend() == dev.berth.app.Backend.SWARM) {
                    berth.engine().taskLogs(dev.berth.swarm.SwarmStatus.taskId(r), tail, follow, timestamps, sink);
                } else {
                    berth.engine().logs(r.id(), tail, follow, timestamps, sink);
                }
            } catch (dev.berth.engine.EngineException e) {
                // The answer has begun (200, text): the reason ends the text.
                stream.write(("berth: the logs of " + r.name() + " ended: " + e.getMessage() + "\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } finally {
                if (follow) {
                    FOLLOWERS.leave();
                }
            }
        };
        return Response.ok(out, MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8")).header("X-Berth-Replica", r.name()).build();
    }

    /** Optional body of a rollback. */
    public record RollbackRequest(Integer revision) {}

    @POST
    @Path("{name}/rollback")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Roll back to the previous good revision, or to {\"revision\": N}; holds until the manifest changes")
    public Response rollback(@PathParam("name") String name, String body) {
        java.util.OptionalInt revision;
        try {
            revision = RollbackBody.parse(body);
        } catch (RollbackBody.Invalid e) {
            return ApiError.response(400, e.getMessage());
        }
        return act(new Command.Rollback(name, revision.isPresent() ? revision.getAsInt() : null, who()));
    }

    @POST
    @Path("{name}/pause")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Pause the rollout in progress")
    public Response pause(@PathParam("name") String name) {
        return act(new Command.Pause(name, who()));
    }

    @POST
    @Path("{name}/resume")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Resume a paused rollout")
    public Response resume(@PathParam("name") String name) {
        return act(new Command.Resume(name, who()));
    }

    @POST
    @Path("{name}/retry")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Try the manifest's failed revision again")
    public Response retry(@PathParam("name") String name) {
        return act(new Command.Retry(name, who()));
    }

    @POST
    @Path("{name}/restart")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Replace every replica, rolling, with the same spec")
    public Response restart(@PathParam("name") String name) {
        return act(new Command.Restart(name, who()));
    }

    private String who() {
        return "api client " + (request.remoteAddress() == null ? "?" : request.remoteAddress().hostAddress());
    }

    private Response act(Command c) {
        if (!uri.getQueryParameters().isEmpty()) {
            // An action takes no options: a guessed ?revision=3 or ?dryRun=true must not act as if absent.
            return ApiError.response(400, "actions take no query parameters (got "
                    + WebErrorMapper.clip(String.join(", ", new java.util.TreeSet<>(uri.getQueryParameters().keySet())))
                    + "); a rollback takes its revision in the body: {\"revision\": 3}");
        }
        try {
            berth.submit(c).get(ACTION_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof CommandRejected r) {
                return ApiError.response(r.status(), r.getMessage());
            }
            return ApiError.response(500, String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            // Accepted but not applied yet (a long pass); the status will show it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ApiError.response(503, "interrupted");
        }
        return Response.accepted(berth.status().service(c.service()).orElse(null)).type(MediaType.APPLICATION_JSON).build();
    }
}
