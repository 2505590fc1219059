package io.q2chub.ops.exceptions;

import io.q2chub.ops.exceptions.CaseViews.Problem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** An API request refused with a reason the caller can act on, answered as a JSON {@link Problem}. */
class CaseRefused extends WebApplicationException {

    private CaseRefused(Response.Status status, String error, List<String> violations) {
        super(error, Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new Problem(error, violations)).build());
    }

    static CaseRefused badRequest(String error) {
        return new CaseRefused(Response.Status.BAD_REQUEST, error, List.of());
    }

    static CaseRefused badRequest(String error, List<String> violations) {
        return new CaseRefused(Response.Status.BAD_REQUEST, error, violations);
    }

    static CaseRefused notFound(long id) {
        return new CaseRefused(Response.Status.NOT_FOUND, "no exception case " + id, List.of());
    }

    static CaseRefused conflict(String error) {
        return new CaseRefused(Response.Status.CONFLICT, error, List.of());
    }
}
