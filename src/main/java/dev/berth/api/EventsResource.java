package dev.berth.api;

import dev.berth.app.Berth;
import dev.berth.events.Event;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** Events (Kubernetes-style), as a list and as a live Server-Sent Events stream. */
@Path("/api/v1/events")
@Tag(name = "events")
public class EventsResource {
    @Inject
    Berth berth;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Kept events (the last 1000), oldest first; ?service= filters")
    public List<Event> list(@QueryParam("service") String service) {
        return berth.events().list(service);
    }

    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Kept events, then new ones as they happen (Server-Sent Events); ?service= filters")
    public Multi<Event> stream(@QueryParam("service") String service) {
        return Multi.createFrom().emitter(emitter -> {
            AtomicLong last = new AtomicLong();
            Runnable cancel = berth.events().subscribe(backlog -> backlog.forEach(e -> {
                if (service == null || service.equals(e.service())) {
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
        });
    }
}
