package io.q2chub.ops.sync;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.Map;

/** "Is this customer in sync everywhere?" answered for any id an operator has at hand. */
@Path("/api/sync-status")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"viewer", "operator"})
public class SyncStatusResource {

    private final RecordSyncStatus status;

    public SyncStatusResource(RecordSyncStatus status) {
        this.status = status;
    }

    @GET
    @Path("/{id}")
    public Response of(@PathParam("id") String id) throws SQLException {
        RecordSyncStatus.Answer answer = status.of(id.strip());
        if (answer.records().isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND)
                    .entity(Map.of("error", "no record is known by the id " + id.strip())).build();
        }
        return Response.ok(answer).build();
    }
}
