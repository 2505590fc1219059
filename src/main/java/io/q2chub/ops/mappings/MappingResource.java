package io.q2chub.ops.mappings;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
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
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Value mappings over HTTP: viewers read them, operators set and remove them while the hub runs. A parked
 * "unmapped" case is then replayed through {@code /api/exception-cases}. Every change is audited with the user.
 */
@Path("/api/mappings")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"viewer", "operator"})
@Tag(name = "Value mappings", description = "Hub codes → target-system ids (e.g. netsuite/subsidiary: US01 → 1)")
public class MappingResource {

    static final int MAX_LENGTH = 100;
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9._:-]+");

    /** The body of a PUT. */
    @RegisterForReflection
    public record Target(String target) {
    }

    private final ValueMappings mappings;
    private final MappingTable table;

    public MappingResource(ValueMappings mappings, MappingTable table) {
        this.mappings = mappings;
        this.table = table;
    }

    @GET
    @Operation(summary = "List the mappings in force", description = "Optionally of one system and kind; includes"
            + " which kinds exist. Removed mappings are not listed (their history is).")
    public Map<String, Object> list(@QueryParam("system") String system, @QueryParam("kind") String kind)
            throws SQLException {
        return Map.of("kinds", mappings.kinds(), "items", table.list(system, kind));
    }

    @GET
    @Path("/{system}/{kind}/{code}/history")
    @Operation(summary = "Who seeded, set or removed a mapping, when, from what to what")
    public List<MappingChange> history(@PathParam("system") String system, @PathParam("kind") String kind,
            @PathParam("code") String code) throws SQLException {
        requireKnownKind(system, kind);
        return table.history(system, kind, code);
    }

    @PUT
    @Path("/{system}/{kind}/{code}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("operator")
    @Operation(summary = "Set a mapping", description = "Body {\"target\": \"6\"}. Takes effect at once; replay the"
            + " cases it was missing for. An operator's mapping wins over configuration from now on.")
    @APIResponse(responseCode = "200", description = "the mapping as stored")
    @APIResponse(responseCode = "400", description = "unknown system or kind, or an invalid code or target")
    public Mapping set(@PathParam("system") String system, @PathParam("kind") String kind,
            @PathParam("code") String code, Target body, @Context SecurityContext caller) throws SQLException {
        requireKnownKind(system, kind);
        String target = body == null || body.target() == null ? "" : body.target().strip();
        List<String> problems = new ArrayList<>(codeProblems(code));
        if (target.isEmpty() || target.length() > MAX_LENGTH) {
            problems.add("target is required, at most " + MAX_LENGTH + " characters");
        }
        if (!problems.isEmpty()) {
            throw MappingRefused.badRequest("invalid mapping", problems);
        }
        Mapping mapping = table.set(system, kind, code, target, actor(caller));
        mappings.changed(system, kind);
        return mapping;
    }

    @DELETE
    @Path("/{system}/{kind}/{code}")
    @RolesAllowed("operator")
    @Operation(summary = "Remove a mapping", description = "Stays removed across restarts even when configuration"
            + " names the code: the operator's removal wins.")
    @APIResponse(responseCode = "204", description = "removed")
    @APIResponse(responseCode = "404", description = "the code is not mapped")
    public void remove(@PathParam("system") String system, @PathParam("kind") String kind,
            @PathParam("code") String code, @Context SecurityContext caller) throws SQLException {
        requireKnownKind(system, kind);
        if (table.remove(system, kind, code, actor(caller)).isEmpty()) {
            throw MappingRefused.notFound(system + "/" + kind + " has no mapping for '" + code + "'");
        }
        mappings.changed(system, kind);
    }

    private void requireKnownKind(String system, String kind) {
        Map<String, Set<String>> kinds = mappings.kinds();
        if (!kinds.getOrDefault(system, Set.of()).contains(kind)) {
            throw MappingRefused.badRequest("unknown mapping kind " + system + "/" + kind,
                    List.of("known kinds: " + kinds));
        }
    }

    private static List<String> codeProblems(String code) {
        if (code.length() > MAX_LENGTH || !CODE.matcher(code).matches()) {
            return List.of("code must be at most " + MAX_LENGTH + " letters, digits or . _ : -");
        }
        return List.of();
    }

    private static String actor(SecurityContext caller) {
        return caller.getUserPrincipal().getName();
    }
}
