package io.q2chub.ops.exceptions;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.q2chub.ops.exceptions.CaseViews.AssignRequest;
import io.q2chub.ops.exceptions.CaseViews.BulkReplayAnswer;
import io.q2chub.ops.exceptions.CaseViews.CaseDetail;
import io.q2chub.ops.exceptions.CaseViews.CasePage;
import io.q2chub.ops.exceptions.CaseViews.DiscardRequest;
import io.q2chub.ops.exceptions.CaseViews.ReplayRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The exception inbox over HTTP: viewers read cases, operators replay, discard and assign them. Every change is
 * written to the case's history with the authenticated user as actor.
 */
@Path("/api/exception-cases")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"viewer", "operator"})
public class ExceptionCaseResource {

    static final int MAX_PAGE_SIZE = 200;

    /** The inbox filters, shared by the list and the bulk replay so both select exactly the same cases. */
    public static class Filters {
        @QueryParam("status") String status;
        @QueryParam("class") String failureClass;
        @QueryParam("capability") String capability;
        @QueryParam("system") String system;
        @QueryParam("minAgeMinutes") Integer minAgeMinutes;
        @QueryParam("q") String text;
        /** Upper age bound (exclusive), so the console can list exactly one age bucket. */
        @QueryParam("maxAgeMinutes") Integer maxAgeMinutes;
        @QueryParam("team") String team;

        CaseFilter toFilter() {
            CaseFilter filter = new CaseFilter(status, failureClass, capability, system, minAgeMinutes, text,
                    maxAgeMinutes, team);
            if (!filter.problems().isEmpty()) {
                throw CaseRefused.badRequest("invalid filter", filter.problems());
            }
            return filter;
        }
    }

    private final ExceptionCaseInbox inbox;
    private final CaseReplay replay;
    private final CaseTriage triage;

    public ExceptionCaseResource(ExceptionCaseInbox inbox, CaseReplay replay, CaseTriage triage) {
        this.inbox = inbox;
        this.replay = replay;
        this.triage = triage;
    }

    @GET
    public CasePage list(@BeanParam Filters filters,
            @QueryParam("sort") @DefaultValue("lastSeen") String sort,
            @QueryParam("order") @DefaultValue("desc") String order,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("50") int size) throws SQLException {
        CaseFilter filter = filters.toFilter();
        List<String> problems = new ArrayList<>();
        if (!ExceptionCaseInbox.SORTS.containsKey(sort)) {
            problems.add("sort must be one of " + ExceptionCaseInbox.SORTS.keySet());
        }
        if (!order.equals("asc") && !order.equals("desc")) {
            problems.add("order must be asc or desc");
        }
        if (page < 0 || size < 1) {
            problems.add("page must be >= 0 and size >= 1");
        }
        if (!problems.isEmpty()) {
            throw CaseRefused.badRequest("invalid query", problems);
        }
        return inbox.list(filter, sort, order.equals("asc"), page, Math.min(size, MAX_PAGE_SIZE));
    }

    @GET
    @Path("/{id}")
    public CaseDetail detail(@PathParam("id") long id) throws SQLException, JsonProcessingException {
        return inbox.detail(id).orElseThrow(() -> CaseRefused.notFound(id));
    }

    /** Replays the case; a body {@code {"payload": {...}}} replaces the parked payload (validated, audited). */
    @POST
    @Path("/{id}/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("operator")
    public Map<String, Object> replay(@PathParam("id") long id, ReplayRequest request, @Context SecurityContext caller)
            throws SQLException, JsonProcessingException {
        replay.replay(id, request == null ? null : request.payload(), actor(caller));
        return Map.of("id", id, "status", "REPLAYING");
    }

    /** Replays every OPEN case matching the filters (the same as the list's), each once, with its parked payload. */
    @POST
    @Path("/replay")
    @RolesAllowed("operator")
    public BulkReplayAnswer replayAll(@BeanParam Filters filters, @Context SecurityContext caller)
            throws SQLException, JsonProcessingException {
        List<Long> ids = inbox.openIds(filters.toFilter());
        return new BulkReplayAnswer(ids.size(), replay.replayAll(ids, actor(caller)));
    }

    @POST
    @Path("/{id}/discard")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("operator")
    public CaseDetail discard(@PathParam("id") long id, DiscardRequest request, @Context SecurityContext caller)
            throws SQLException, JsonProcessingException {
        triage.discard(id, request == null ? null : request.reason(), actor(caller));
        return detail(id);
    }

    @POST
    @Path("/{id}/assign")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("operator")
    public CaseDetail assign(@PathParam("id") long id, AssignRequest request, @Context SecurityContext caller)
            throws SQLException, JsonProcessingException {
        triage.assign(id, request == null ? null : request.owner(), actor(caller));
        return detail(id);
    }

    private static String actor(SecurityContext caller) {
        return caller.getUserPrincipal().getName();
    }
}
