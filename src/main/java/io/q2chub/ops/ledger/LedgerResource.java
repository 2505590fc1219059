package io.q2chub.ops.ledger;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.List;

/** One business transaction's trace across systems, found by any id it carries. */
@Path("/api/ledger")
@Produces(MediaType.APPLICATION_JSON)
public class LedgerResource {

    private final Ledger ledger;

    public LedgerResource(Ledger ledger) {
        this.ledger = ledger;
    }

    @GET
    @Path("/{key}")
    public List<Ledger.Milestone> trace(@PathParam("key") String key) throws SQLException {
        return ledger.trace(key);
    }
}
