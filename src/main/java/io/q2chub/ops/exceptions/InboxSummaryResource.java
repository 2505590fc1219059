package io.q2chub.ops.exceptions;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;

/** The inbox's headline counts, for the console's summary tiles and for anyone polling the backlog. */
@Path("/api/exception-cases/summary")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"viewer", "operator"})
public class InboxSummaryResource {

    private final InboxSummary summary;

    public InboxSummaryResource(InboxSummary summary) {
        this.summary = summary;
    }

    @GET
    public InboxSummary.Counts openCases() throws SQLException {
        return summary.openCases();
    }
}
