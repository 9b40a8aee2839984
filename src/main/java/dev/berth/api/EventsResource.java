package dev.berth.api;

import dev.berth.app.Berth;
import dev.berth.events.Event;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Events (Kubernetes-style), as a list and as a live Server-Sent Events stream. Every event has
 * an increasing {@code seq}; it is the SSE {@code id}, so a client that reconnects with
 * {@code Last-Event-ID} (as browsers' EventSource does) or {@code ?after=} misses nothing still kept.
 */
@Path("/api/v1/events")
@Tag(name = "events")
public class EventsResource {
    @Inject
    Berth berth;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Kept events (the last 1000), oldest first; ?service= filters, ?after=<seq> skips older ones,"
            + " ?limit=N keeps the newest N")
    public List<Event> list(@QueryParam("service") String service,
            @Parameter(description = "only events with a greater seq") @QueryParam("after") Long after,
            @Parameter(description = "at most this many, the newest") @QueryParam("limit") Integer limit) {
        if (limit != null && limit < 0 || after != null && after < 0) {
            throw new jakarta.ws.rs.WebApplicationException(ApiError.response(400, "after and limit must not be negative"));
        }
        return berth.events().list(service, after == null ? 0 : after, limit == null ? Integer.MAX_VALUE : limit);
    }

    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Kept events, then new ones as they happen (Server-Sent Events, id = seq); ?service= filters,"
            + " Last-Event-ID or ?after=<seq> resumes")
    public Multi<OutboundSseEvent> stream(@Context Sse sse, @QueryParam("service") String service,
            @QueryParam("after") Long after, @HeaderParam("Last-Event-ID") String lastEventId) {
        long from = resumeFrom(after, lastEventId);
        return Multi.createFrom().<Event>emitter(emitter -> {
            AtomicLong last = new AtomicLong();
            Runnable cancel = berth.events().subscribe(backlog -> backlog.forEach(e -> {
                if (e.seq() > from && (service == null || service.equals(e.service()))) {
                    emitter.emit(e);
                }
                last.set(e.seq());
            }), e -> {
                // Subscribing races with recording: drop what the backlog already held.
                if (e.seq() > last.get() && (service == null || service.equals(e.service()))) {
                    emitter.emit(e);
                }
            });
            emitter.onTermination(cancel);
        }).map(e -> sse.newEventBuilder().id(Long.toString(e.seq())).mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(Event.class, e).build());
    }

    private static long resumeFrom(Long after, String lastEventId) {
        if (after != null) {
            return after;
        }
        if (lastEventId != null) {
            try {
                return Long.parseLong(lastEventId.strip());
            } catch (NumberFormatException notOurs) {
                return 0; // not an id we gave out: send everything kept
            }
        }
        return 0;
    }
}
