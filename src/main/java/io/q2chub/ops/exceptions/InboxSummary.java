package io.q2chub.ops.exceptions;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the inbox holds at a glance: the open cases counted by class, capability, system and age bucket. Age is
 * counted from the first time the failure was seen, as the list's age filters do, so a bucket's count is exactly what
 * listing it with {@code minAgeMinutes}/{@code maxAgeMinutes} finds.
 */
@ApplicationScoped
public class InboxSummary {

    /** The age buckets, youngest first: [minAgeMinutes, maxAgeMinutes), no upper bound for the last one. */
    static final List<AgeBucket> BUCKETS = List.of(
            new AgeBucket("<1h", 0, 60, 0),
            new AgeBucket("1-24h", 60, 24 * 60, 0),
            new AgeBucket("1-7d", 24 * 60, 7 * 24 * 60, 0),
            new AgeBucket(">7d", 7 * 24 * 60, null, 0));

    @RegisterForReflection
    public record AgeBucket(String bucket, int minAgeMinutes, Integer maxAgeMinutes, long count) {
        AgeBucket withCount(long n) {
            return new AgeBucket(bucket, minAgeMinutes, maxAgeMinutes, n);
        }
    }

    @RegisterForReflection
    public record Counts(long open, Map<String, Long> byClass, Map<String, Long> byCapability,
            Map<String, Long> bySystem, List<AgeBucket> byAge) {
    }

    private final AgroalDataSource dataSource;

    public InboxSummary(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    Counts openCases() throws SQLException {
        Map<String, Long> byClass = new TreeMap<>();
        CaseFilter.CLASSES.forEach(c -> byClass.put(c, 0L));
        Map<String, Long> byCapability = new TreeMap<>();
        Map<String, Long> bySystem = new TreeMap<>();
        long[] byAge = new long[BUCKETS.size()];
        long open = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT failure_class, capability, system,
                       CASE WHEN first_seen > now() - interval '1 hour' THEN 0
                            WHEN first_seen > now() - interval '1 day' THEN 1
                            WHEN first_seen > now() - interval '7 days' THEN 2
                            ELSE 3 END AS age_bucket,
                       count(*)
                  FROM exception_case WHERE status = 'OPEN'
                 GROUP BY 1, 2, 3, 4""");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long n = rs.getLong(5);
                open += n;
                byClass.merge(rs.getString(1), n, Long::sum);
                byCapability.merge(rs.getString(2), n, Long::sum);
                bySystem.merge(rs.getString(3), n, Long::sum);
                byAge[rs.getInt(4)] += n;
            }
        }
        List<AgeBucket> ages = new ArrayList<>();
        for (int i = 0; i < BUCKETS.size(); i++) {
            ages.add(BUCKETS.get(i).withCount(byAge[i]));
        }
        return new Counts(open, byClass, byCapability, bySystem, ages);
    }
}
