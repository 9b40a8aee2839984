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
            @Parameter(description = "only events with a greater seq") @QueryParam("after") String after,
            @Parameter(description = "at most this many, the newest") @QueryParam("limit") String limit) {
        long from = count("after", after, Long.MAX_VALUE, 0);
        int most = (int) count("limit", limit, Integer.MAX_VALUE, Integer.MAX_VALUE);
        return berth.events().list(service, from, most);
    }

    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Kept events, then new ones as they happen (Server-Sent Events, id = seq); ?service= filters,"
            + " Last-Event-ID or ?after=<seq> resumes")
    public Multi<OutboundSseEvent> stream(@Context Sse sse, @QueryParam("service") String service,
            @QueryParam("after") String after, @HeaderParam("Last-Event-ID") String lastEventId) {
        long from = after != null ? count("after", after, Long.MAX_VALUE, 0) : resumeFrom(lastEventId);
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

    /**
     * A query parameter that must be a whole number from 0 to {@code max}: {@code absent} when
     * missing, else a 400 in the API's format (a JAX-RS conversion failure would be a bare 404).
     */
    static long count(String name, String value, long max, long absent) {
        if (value == null) {
            return absent;
        }
        try {
            long n = Long.parseLong(value.strip());
            if (n >= 0 && n <= max) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw new jakarta.ws.rs.WebApplicationException(ApiError.response(400,
                name + " must be a whole number from 0 to " + max + " (negative values are refused), got '"
                        + WebErrorMapper.clip(value) + "'"));
    }

    private static long resumeFrom(String lastEventId) {
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
