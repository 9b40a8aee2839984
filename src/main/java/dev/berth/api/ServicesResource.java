package dev.berth.api;

import dev.berth.app.Berth;
import dev.berth.reconcile.ServiceStatus;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Read-only view of services as the last reconcile pass saw them. */
@Path("/api/v1/services")
@Produces(MediaType.APPLICATION_JSON)
public class ServicesResource {
    @Inject
    Berth berth;

    @GET
    public List<ServiceStatus> list() {
        return berth.status().services();
    }

    @GET
    @Path("{name}")
    public ServiceStatus get(@PathParam("name") String name) {
        return berth.status().service(name)
                .orElseThrow(() -> new NotFoundException(ApiError.response(404, "no service named '" + name + "'")));
    }
}
