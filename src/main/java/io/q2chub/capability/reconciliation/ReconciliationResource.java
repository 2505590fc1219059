package io.q2chub.capability.reconciliation;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;

/**
 * The reconciliation reports: list and read them (viewer), as JSON or as CSV for finance, and run one now for a
 * window (operator), optionally healing. A run goes through the same direct:reconcile route as the schedule.
 */
@Path("/api/reconciliations")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"viewer", "operator"})
public class ReconciliationResource {

    private final ReconciliationStore store;
    private final ProducerTemplate producer;

    public ReconciliationResource(ReconciliationStore store, ProducerTemplate producer) {
        this.store = store;
        this.producer = producer;
    }

    /** A run on demand: the window as ISO-8601 instants, {@code to} exclusive. */
    public record RunRequest(String from, String to, Boolean heal) {
    }

    @GET
    public List<ReconciliationReport> list(@QueryParam("limit") @DefaultValue("50") int limit) throws SQLException {
        return store.list(Math.max(1, Math.min(500, limit)));
    }

    @GET
    @Path("/{id: \\d+}")
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    public Response get(@PathParam("id") long id, @QueryParam("format") String format) throws SQLException {
        ReconciliationReport report = store.find(id).orElseThrow(() -> new NotFoundException("no reconciliation " + id));
        if ("csv".equalsIgnoreCase(format)) {
            return csv(report);
        }
        return Response.ok(report, MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("/{id: \\d+}.csv")
    @Produces("text/csv")
    public Response csv(@PathParam("id") long id) throws SQLException {
        return csv(store.find(id).orElseThrow(() -> new NotFoundException("no reconciliation " + id)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("operator")
    public Response run(RunRequest request) {
        Instant from;
        Instant to;
        try {
            from = Instant.parse(request.from());
            to = Instant.parse(request.to());
        } catch (DateTimeParseException | NullPointerException e) {
            return Response.status(400).entity(Map.of("error", "from and to must be ISO-8601 instants, e.g."
                    + " 2026-01-01T00:00:00Z")).build();
        }
        if (!from.isBefore(to)) {
            return Response.status(400).entity(Map.of("error", "from must be before to")).build();
        }
        Map<String, Object> headers = new HashMap<>();
        headers.put(Reconciliation.FROM, from.toString());
        headers.put(Reconciliation.TO, to.toString());
        headers.put(Reconciliation.HEAL, Boolean.TRUE.equals(request.heal()));
        headers.put(Reconciliation.TRIGGER, "api");
        try {
            ReconciliationReport report = producer.requestBodyAndHeaders("direct:reconcile", null, headers,
                    ReconciliationReport.class);
            return Response.status(201).entity(report).build();
        } catch (CamelExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return Response.status(502).entity(Map.of("error", "reconciliation failed: " + cause.getMessage())).build();
        }
    }

    private static Response csv(ReconciliationReport report) {
        return Response.ok(ReconciliationCsv.of(report), "text/csv")
                .header("Content-Disposition", "attachment; filename=\"reconciliation-" + report.id() + ".csv\"")
                .build();
    }
}
