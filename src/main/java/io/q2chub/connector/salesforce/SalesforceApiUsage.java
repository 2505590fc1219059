package io.q2chub.connector.salesforce;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The org's daily API calls as Salesforce itself counts them, from the {@code Sforce-Limit-Info: api-usage=used/limit}
 * header it puts on every REST answer. Unlike the hub's own count (q2c_connector_daily_calls_used), it includes every
 * other integration and user of the org, and it is what makes Salesforce answer REQUEST_LIMIT_EXCEEDED.
 */
@ApplicationScoped
public class SalesforceApiUsage {

    static final String HEADER = "Sforce-Limit-Info";
    // Not per-app-api-usage=..., which Salesforce may list in the same header.
    private static final Pattern API_USAGE = Pattern.compile("(?:^|[\\s,;])api-usage=(\\d+)/(\\d+)");
    private static final String REMAINING = "q2c.connector.api.remaining";
    private static final String LIMIT = "q2c.connector.api.limit";

    private volatile double used = Double.NaN;
    private volatile double limit = Double.NaN;

    public SalesforceApiUsage(MeterRegistry metrics) {
        // The registry can outlive this bean (a restart in one JVM, as in tests): replace an earlier start's gauges.
        metrics.find(REMAINING).tag("system", SalesforceFailures.SYSTEM).meters().forEach(metrics::remove);
        metrics.find(LIMIT).tag("system", SalesforceFailures.SYSTEM).meters().forEach(metrics::remove);
        Gauge.builder(REMAINING, this, SalesforceApiUsage::remaining)
                .description("API calls left today as the system last reported them (NaN before its first answer)")
                .tag("system", SalesforceFailures.SYSTEM).register(metrics);
        Gauge.builder(LIMIT, this, usage -> usage.limit)
                .description("Daily API call limit as the system last reported it (NaN before its first answer)")
                .tag("system", SalesforceFailures.SYSTEM).register(metrics);
    }

    /** Takes the header of one answer; answers without it (or with a malformed one) change nothing. */
    void record(String limitInfo) {
        if (limitInfo == null) {
            return;
        }
        Matcher m = API_USAGE.matcher(limitInfo);
        if (m.find()) {
            limit = Long.parseLong(m.group(2));
            used = Long.parseLong(m.group(1));
        }
    }

    double remaining() {
        return Math.max(0, limit - used);
    }
}
