package dev.berth.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

/**
 * A failure that no other mapper claims is Berth's own bug, never the client's: it answers 500
 * in the API's error format with a reference, and the stack trace goes to Berth's log only (an
 * exception's text may hold paths or engine answers that the client has no business seeing).
 */
@Provider
public class UnexpectedErrorMapper implements ExceptionMapper<RuntimeException> {
    private static final Logger LOG = Logger.getLogger(UnexpectedErrorMapper.class);

    @Override
    public Response toResponse(RuntimeException e) {
        String ref = Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 8);
        LOG.errorf(e, "internal error %s answering a request", ref);
        return ApiError.response(500, "internal error " + ref + "; see Berth's log");
    }
}
