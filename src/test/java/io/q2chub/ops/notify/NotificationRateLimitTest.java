package io.q2chub.ops.notify;

import static io.q2chub.testing.CanonicalSamples.customerChangedHeaders;
import static io.q2chub.testing.CanonicalSamples.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.q2chub.sandbox.slack.SlackWebhookSimulator;
import io.q2chub.testing.HubTestServices;
import io.q2chub.testing.KafkaTestClient;
import io.q2chub.testing.SlackWebhookReceiver;
import io.q2chub.testing.Sql;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A burst of new cases on the real routes: the Slack channel gets at most the rate limit, the rest is counted in a
 * summary (nothing disappears unaccounted), and the backlog alerts (too many open cases, oldest too old) come once
 * per crossing, not on every check.
 */
@QuarkusTest
@QuarkusTestResource(HubTestServices.class)
@QuarkusTestResource(value = SlackWebhookReceiver.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "q2c.notify.rate-limit", value = "3"),
        @ResourceArg(name = "q2c.notify.rate-window", value = "PT5S"),
        @ResourceArg(name = "q2c.notify.open-cases-threshold", value = "3"),
        @ResourceArg(name = "q2c.notify.max-open-age", value = "PT6S"),
        @ResourceArg(name = "q2c.notify.check-period", value = "PT1S")})
class NotificationRateLimitTest {

    static final Pattern HELD_BACK = Pattern.compile("(\\d+) exception notification\\(s\\) held back by the rate limit");
    static final int RECORDS = 12;
    static final List<String> CAPABILITIES = List.of("customer-onboarding", "transaction-ledger");

    @SlackWebhookReceiver.Receiver
    SlackWebhookSimulator slack;

    @Inject
    AgroalDataSource db;

    @Test
    void aBurstIsCappedAndSummedUpAndBacklogAlertsComeOncePerCrossing() {
        String batch = "burst-" + newId("b");
        for (int i = 0; i < RECORDS; i++) {
            String customerId = batch + "-" + i;
            KafkaTestClient.send("q2c.customer.v1", null, customerId, ("{\"id\":\"" + customerId + "\", not json")
                    .getBytes(StandardCharsets.UTF_8), customerChangedHeaders(newId("evt"), customerId));
        }
        int cases = RECORDS * CAPABILITIES.size();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                Sql.count(db, "SELECT count(*) FROM exception_case WHERE business_key LIKE ?", batch + "-%") == cases);

        // Every notification the hub produced (one per new case, one per alert raised) was either delivered or counted
        // in a summary - and stays so for several checks, so an alert is not sent again while it lasts.
        await().atMost(Duration.ofSeconds(90)).during(Duration.ofSeconds(4)).until(() ->
                delivered() + heldBack() == cases + raisedAlerts().size() && raisedAlerts().size() == 2 * CAPABILITIES.size());

        assertThat(heldBack()).as("held back by the rate limit of 3 per 5 s").isPositive();
        assertThat(summaries()).allSatisfy(s -> assertThat(s.path("text").asText()).contains("/console/"));
        assertThat(raisedAlerts()).containsExactlyInAnyOrder("open:customer-onboarding", "open:transaction-ledger",
                "age:customer-onboarding", "age:transaction-ledger");
        for (String capability : CAPABILITIES) {
            assertThat(texts()).filteredOn(t -> t.startsWith(capability + ": ") && t.contains("open exception cases (threshold 3)"))
                    .as("open-case alerts of %s", capability).hasSizeLessThanOrEqualTo(1);
            assertThat(texts()).filteredOn(t -> t.startsWith(capability + ": open exception case #") && t.contains("old (limit"))
                    .as("age alerts of %s", capability).hasSizeLessThanOrEqualTo(1);
        }
    }

    private List<String> texts() {
        return slack.messages().stream().map(m -> m.path("text").asText()).toList();
    }

    private List<JsonNode> summaries() {
        return slack.messages().stream().filter(m -> HELD_BACK.matcher(m.path("text").asText()).find()).toList();
    }

    private long delivered() {
        return slack.messages().size() - summaries().size();
    }

    private long heldBack() {
        long total = 0;
        for (JsonNode summary : summaries()) {
            Matcher m = HELD_BACK.matcher(summary.path("text").asText());
            m.find();
            total += Long.parseLong(m.group(1));
        }
        return total;
    }

    private List<String> raisedAlerts() {
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT alert_key FROM exception_alert")) {
            List<String> keys = new ArrayList<>();
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
            return keys;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
