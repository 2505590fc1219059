package io.q2chub.ops.ledger;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.Map;

/**
 * One quote-to-cash chain's trace across systems, found by any id it carries: milestones with their times, the
 * time of each stage, the ids each system holds. 404 names the id nothing knows.
 */
@Path("/api/ledger")
@Produces(MediaType.APPLICATION_JSON)
public class LedgerResource {

    private final TransactionChain chains;

    public LedgerResource(TransactionChain chains) {
        this.chains = chains;
    }

    @GET
    @Path("/{key}")
    public Response trace(@PathParam("key") String key) throws SQLException {
        return chains.of(key).map(chain -> Response.ok(chain).build())
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND).entity(Map.of("query", key, "message",
                        "no business transaction knows '" + key + "': it is no chain key, canonical id or event id"
                                + " in the ledger, nor any system's id in the cross-reference of one")).build());
    }
}
