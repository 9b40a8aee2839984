package dev.berth.api;

import dev.berth.state.StateUnreadable;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A service whose state file cannot be read answers 500 with the file and the reason, not a stack trace. */
@Provider
public class StateUnreadableMapper implements ExceptionMapper<StateUnreadable> {
    @Override
    public Response toResponse(StateUnreadable e) {
        return ApiError.response(500, e.getMessage());
    }
}
