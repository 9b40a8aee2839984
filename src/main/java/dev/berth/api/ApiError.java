package dev.berth.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The JSON body of every error answer: {@code {"status": 404, "message": "…"}}. */
public record ApiError(int status, String message) {
    public static Response response(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiError(status, message)).build();
    }
}
