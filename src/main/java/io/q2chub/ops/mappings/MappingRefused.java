package io.q2chub.ops.mappings;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** A mapping request refused with a reason the caller can act on: {@code {"error": ..., "violations": [...]}}. */
class MappingRefused extends WebApplicationException {

    private MappingRefused(Response.Status status, String error, List<String> violations) {
        super(error, Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", error, "violations", violations)).build());
    }

    static MappingRefused badRequest(String error, List<String> violations) {
        return new MappingRefused(Response.Status.BAD_REQUEST, error, violations);
    }

    static MappingRefused notFound(String error) {
        return new MappingRefused(Response.Status.NOT_FOUND, error, List.of());
    }
}
