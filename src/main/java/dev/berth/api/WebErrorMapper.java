package dev.berth.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Errors that the REST layer raises itself (no route for a method, a media type it cannot read
 * or answer, a parameter it cannot convert) answer in the API's error format, as ours do; an
 * answer that already carries a body (an {@link ApiError}) passes unchanged. Headers such as
 * {@code Allow} are kept.
 */
@Provider
public class WebErrorMapper implements ExceptionMapper<WebApplicationException> {
    @Context
    UriInfo uri;

    @Override
    public Response toResponse(WebApplicationException e) {
        Response r = e.getResponse();
        if (r.hasEntity()) {
            return r;
        }
        int status = r.getStatus();
        Response.ResponseBuilder b = Response.fromResponse(r).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(status, message(status, r)));
        return b.build();
    }

    private String message(int status, Response r) {
        String path = uri == null ? "" : "/" + uri.getPath().replaceFirst("^/", "");
        return switch (status) {
            case 404 -> "nothing at " + clip(path);
            case 405 -> "method not allowed on " + clip(path)
                    + (r.getAllowedMethods().isEmpty() ? "" : "; allowed: " + String.join(", ", new java.util.TreeSet<>(r.getAllowedMethods())));
            case 406 -> "this API answers application/json only (see the Accept header)";
            case 415 -> "unsupported content type";
            default -> r.getStatusInfo().getReasonPhrase() == null ? "HTTP " + status : r.getStatusInfo().getReasonPhrase();
        };
    }

    /** Echoes at most 80 characters of the client's path. */
    static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
