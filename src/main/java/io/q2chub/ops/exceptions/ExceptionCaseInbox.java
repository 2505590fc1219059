package io.q2chub.ops.exceptions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.q2chub.ops.exceptions.CaseViews.CaseDetail;
import io.q2chub.ops.exceptions.CaseViews.CasePage;
import io.q2chub.ops.exceptions.CaseViews.CaseSummary;
import io.q2chub.ops.exceptions.CaseViews.HistoryEntry;
import io.q2chub.ops.exceptions.CaseViews.StoredPayload;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads exception cases for people: the filtered, sorted, paged inbox and one case in full. */
@ApplicationScoped
public class ExceptionCaseInbox {

    /** Sort keys of the API and their columns; only these ever reach the ORDER BY. */
    static final Map<String, String> SORTS = Map.of(
            "lastSeen", "last_seen", "firstSeen", "first_seen", "occurrences", "occurrences");

    private static final String SUMMARY_COLUMNS = """
            id, status, capability, system, failure_class, error_code, error_message, business_key, event_id,
            event_type, source_topic, occurrences, owner, first_seen, last_seen, team""";

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    public ExceptionCaseInbox(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    CasePage list(CaseFilter filter, String sort, boolean ascending, int page, int size) throws SQLException {
        String order = " ORDER BY " + SORTS.get(sort) + (ascending ? " ASC" : " DESC") + ", id" + (ascending ? " ASC" : " DESC");
        try (Connection c = dataSource.getConnection()) {
            List<CaseSummary> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + SUMMARY_COLUMNS + " FROM exception_case" + filter.where() + order + " LIMIT ? OFFSET ?")) {
                int next = bind(ps, filter.parameters());
                ps.setInt(next, size);
                ps.setLong(next + 1, (long) page * size);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(summary(rs));
                    }
                }
            }
            return new CasePage(items, count(c, filter), page, size);
        }
    }

    /** Ids of the open cases a bulk replay covers, oldest first so the backlog drains in order. */
    List<Long> openIds(CaseFilter filter) throws SQLException {
        CaseFilter open = filter.onlyOpen();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM exception_case" + open.where() + " ORDER BY first_seen, id")) {
            bind(ps, open.parameters());
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        }
    }

    Optional<CaseDetail> detail(long id) throws SQLException, JsonProcessingException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + SUMMARY_COLUMNS + ", discard_reason, payload, headers::text FROM exception_case WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new CaseDetail(summary(rs), rs.getString("discard_reason"),
                        payload(rs.getBytes("payload")), json.readTree(rs.getString("headers")), history(c, id)));
            }
        }
    }

    private static long count(Connection c, CaseFilter filter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM exception_case" + filter.where())) {
            bind(ps, filter.parameters());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<HistoryEntry> history(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT at, actor, action, detail FROM exception_case_history WHERE case_id = ? ORDER BY id")) {
            ps.setLong(1, id);
            List<HistoryEntry> entries = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(new HistoryEntry(rs.getObject("at", OffsetDateTime.class), rs.getString("actor"),
                            rs.getString("action"), rs.getString("detail")));
                }
            }
            return entries;
        }
    }

    static StoredPayload payload(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return new StoredPayload("utf-8", text);
        } catch (CharacterCodingException e) {
            return new StoredPayload("base64", Base64.getEncoder().encodeToString(bytes));
        }
    }

    private static CaseSummary summary(ResultSet rs) throws SQLException {
        return new CaseSummary(rs.getLong("id"), rs.getString("status"), rs.getString("capability"),
                rs.getString("system"), rs.getString("failure_class"), rs.getString("error_code"),
                rs.getString("error_message"), rs.getString("business_key"), rs.getString("event_id"),
                rs.getString("event_type"), rs.getString("source_topic"), rs.getInt("occurrences"),
                rs.getString("owner"), rs.getObject("first_seen", OffsetDateTime.class),
                rs.getObject("last_seen", OffsetDateTime.class), rs.getString("team"));
    }

    /** Binds the values from index 1 and answers the next free index. */
    private static int bind(PreparedStatement ps, List<Object> values) throws SQLException {
        int i = 1;
        for (Object value : values) {
            ps.setObject(i++, value);
        }
        return i;
    }
}
