package io.q2chub.connector.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.salesforce.eventbus.protobuf.ReplayPreset;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.q2chub.ops.replay.ReplayPositions;
import io.q2chub.sandbox.salesforce.SalesforceSimulator;
import io.q2chub.testing.HubTestServices;
import io.q2chub.testing.KafkaTestClient;
import io.q2chub.testing.SalesforceTestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.component.salesforce.SalesforceEndpoint;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Salesforce Account changes through the real ingress route: simulator (OAuth, REST, Pub/Sub gRPC) → camel-salesforce
 * → canonical customer.changed on the real broker.
 */
@QuarkusTest
@TestProfile(SalesforceEnabled.class)
@QuarkusTestResource(HubTestServices.class)
class SalesforceAccountIngressTest {

    static final String CUSTOMER_TOPIC = "q2c.customer.v1";
    static final String SUBSCRIPTION = "salesforce:/data/AccountChangeEvent";
    static final String INGRESS = "salesforce-account-ingress";
    final ObjectMapper json = new ObjectMapper();

    @Inject
    ReplayPositions positions;

    @Inject
    CamelContext camel;

    @Inject
    SalesforceSubscriptions subscriptions;

    @Inject
    MeterRegistry metrics;

    @Inject
    AgroalDataSource db;

    @SalesforceTestServices.Simulator
    SalesforceSimulator salesforce;

    @BeforeEach
    void subscribed() {
        // The route starts at LATEST the first time: changes made before it subscribed are not its to deliver.
        await().atMost(Duration.ofSeconds(30)).until(() -> salesforce.activeSubscriptions() > 0);
    }

    @Test
    void createdAccountArrivesAsCanonicalCustomerWithItsCrmId() throws Exception {
        String name = "Acme " + UUID.randomUUID();
        String accountId = salesforce.createAccount(Map.of("Name", name, "BillingCountry", "DE", "CurrencyIsoCode", "EUR",
                "Tax_Id__c", "DE123456789", "Legal_Entity__c", "q2c-gmbh"));

        ConsumerRecord<String, byte[]> record = awaitCustomerEvent(accountId, 1).get(0);
        JsonNode customer = json.readTree(record.value());
        assertThat(customer.path("name").asText()).isEqualTo(name);
        assertThat(customer.path("billingCountry").asText()).isEqualTo("DE");
        assertThat(customer.path("currency").asText()).isEqualTo("EUR");
        assertThat(customer.path("taxId").asText()).isEqualTo("DE123456789");
        assertThat(customer.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(customer.path("id").asText()).startsWith("cust-").isEqualTo(record.key());
        assertThat(KafkaTestClient.header(record, "ce_type")).isEqualTo("q2c.customer.changed.v1");
        assertThat(KafkaTestClient.header(record, "q2c-change-type")).isEqualTo("CREATE");
    }

    @Test
    void gapEventIsFilledInByReReadingTheAccount() throws Exception {
        String accountId = salesforce.createAccount(Map.of("Name", "Gap Ltd", "BillingCountry", "GB"));
        awaitCustomerEvent(accountId, 1);
        String read = "GET /services/data/v60.0/sobjects/Account/" + accountId;
        assertThat(salesforce.requests()).doesNotContain(read);

        salesforce.publishGapUpdate(accountId, Map.of("Name", "Gap Holdings Ltd"));

        ConsumerRecord<String, byte[]> gap = awaitCustomerEvent(accountId, 2).get(1);
        assertThat(salesforce.requests()).contains(read);
        assertThat(KafkaTestClient.header(gap, "q2c-change-type")).isEqualTo("GAP_UPDATE");
        assertThat(json.readTree(gap.value()).path("name").asText()).isEqualTo("Gap Holdings Ltd");
        assertThat(json.readTree(gap.value()).path("billingCountry").asText()).isEqualTo("GB");
    }

    @Test
    void anEventDeliveredTwiceIsPublishedOnce() {
        String accountId = salesforce.createAccount(Map.of("Name", "Twice AG"));
        awaitCustomerEvent(accountId, 1);
        salesforce.redeliverLastEvent();
        // A later change arriving proves the redelivered event, which came before it, was seen and skipped.
        String marker = salesforce.createAccount(Map.of("Name", "Marker AG"));
        awaitCustomerEvent(marker, 1);

        List<ConsumerRecord<String, byte[]>> published = KafkaTestClient.readAll(CUSTOMER_TOPIC).stream()
                .filter(r -> accountId.equals(crmId(r))).toList();
        assertThat(published).hasSize(1);
    }

    @Test
    void mergeDeactivatesTheLoserNamingTheSurvivorAndRefreshesTheSurvivor() throws Exception {
        String survivor = salesforce.createAccount(Map.of("Name", "Merge Survivor Inc", "BillingCountry", "US"));
        String loser = salesforce.createAccount(Map.of("Name", "Merge Survivor Incorporated"));
        String survivorCanonicalId = awaitCustomerEvent(survivor, 1).get(0).key();
        awaitCustomerEvent(loser, 1);

        salesforce.mergeAccounts(survivor, loser);

        ConsumerRecord<String, byte[]> merged = awaitCustomerEvent(loser, 2).get(1);
        assertThat(KafkaTestClient.header(merged, "q2c-change-type")).isEqualTo("MERGE");
        assertThat(KafkaTestClient.header(merged, "q2c-surviving-id")).isEqualTo(survivorCanonicalId);
        assertThat(json.readTree(merged.value()).path("status").asText()).isEqualTo("INACTIVE");
        ConsumerRecord<String, byte[]> refreshed = awaitCustomerEvent(survivor, 2).get(1);
        assertThat(KafkaTestClient.header(refreshed, "q2c-change-type")).isEqualTo("UPDATE");
        assertThat(refreshed.key()).isEqualTo(survivorCanonicalId);
        assertThat(json.readTree(refreshed.value()).path("status").asText()).isEqualTo("ACTIVE");
    }

    @Test
    void deletedAccountBecomesAnInactiveCustomerUnderTheSameCanonicalId() throws Exception {
        String accountId = salesforce.createAccount(Map.of("Name", "Gone GmbH"));
        String canonicalId = awaitCustomerEvent(accountId, 1).get(0).key();
        salesforce.deleteAccount(accountId);
        ConsumerRecord<String, byte[]> deleted = awaitCustomerEvent(accountId, 2).get(1);
        assertThat(deleted.key()).isEqualTo(canonicalId);
        assertThat(KafkaTestClient.header(deleted, "q2c-change-type")).isEqualTo("DELETE");
        assertThat(json.readTree(deleted.value()).path("status").asText()).isEqualTo("INACTIVE");
    }

    @Test
    void theReplayIdOfTheLastPublishedEventIsStored() {
        String accountId = salesforce.createAccount(Map.of("Name", "Position SA"));
        awaitCustomerEvent(accountId, 1);
        String expected = Base64.getEncoder().encodeToString(salesforce.latestReplayId());
        await().atMost(Duration.ofSeconds(10)).until(() -> positions.position(SUBSCRIPTION), p -> p.equals(Optional.of(expected)));
    }

    @Test
    void aNewSubscriptionResumesRightAfterTheStoredPosition() throws Exception {
        String before = salesforce.createAccount(Map.of("Name", "Before Restart SE"));
        awaitCustomerEvent(before, 1);
        String stored = Base64.getEncoder().encodeToString(salesforce.latestReplayId());
        await().atMost(Duration.ofSeconds(10)).until(() -> positions.position(SUBSCRIPTION), p -> p.equals(Optional.of(stored)));

        // A new endpoint and consumer for the topic, as at the next start of the hub: the stored position replaces
        // the route's preset, and the subscription delivers what came after it - not before, not only what is new.
        SalesforceEndpoint endpoint = camel.getEndpoint("salesforce:pubSubSubscribe:/data/AccountChangeEvent"
                + "?replayPreset=LATEST&pubSubDeserializeType=JSON&pubSubBatchSize=7", SalesforceEndpoint.class);
        assertThat(endpoint.getConfiguration().getReplayPreset()).isEqualTo(ReplayPreset.CUSTOM);
        assertThat(endpoint.getPubSubReplayId()).isEqualTo(stored);
        assertThat(endpoint.getConfiguration().isFallbackToLatestReplayId()).isFalse();
        // Created only now: the running ingress consumes it too and stores its position, which must not be what
        // the endpoint above was configured with.
        String after = salesforce.createAccount(Map.of("Name", "After Restart SE"));
        List<String> received = new CopyOnWriteArrayList<>();
        Consumer resumed = endpoint.createConsumer(exchange -> received.add(exchange.getMessage().getBody(String.class)));
        camel.addService(resumed, true, true);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
            assertThat(received.get(0)).contains(after).doesNotContain(before);
        } finally {
            camel.removeService(resumed);
            resumed.stop();
        }
    }

    @Test
    void aRefusedReplayIdIsAlertedThenEveryAccountIsRepublishedAndTheSubscriptionMovesOnToLatest() throws Exception {
        String known = salesforce.createAccount(Map.of("Name", "Known Before Outage KG", "BillingCountry", "AT"));
        awaitCustomerEvent(known, 1);
        List<String> missed = List.of("Missed During Outage 0", "Missed During Outage 1", "Missed During Outage 2");
        String stored = awayLongerThanRetention(missed);
        List<String> missedIds = salesforce.accounts().stream().filter(a -> missed.contains(a.get("Name")))
                .map(a -> (String) a.get("Id")).toList();
        String deletedMeanwhile = salesforce.accounts().stream().filter(a -> "Deleted During Outage".equals(a.get("Name")))
                .map(a -> (String) a.get("Id")).findFirst().orElseThrow();
        salesforce.queryBatchSize(2);
        double alertsBefore = rejected();

        comeBackWithTheStoredPosition();

        await().atMost(Duration.ofSeconds(30)).until(() -> rejected() > alertsBefore);
        Map<String, Object> request = await().atMost(Duration.ofSeconds(60)).until(this::lastResyncRequest,
                r -> "DONE".equals(r.get("status")));
        assertThat(request.get("completed_at")).isNotNull();

        // Every live account once, as customer.changed with change type RESYNC, under this request's event ids.
        String idPrefix = "sf-resync-" + request.get("id") + "-";
        List<ConsumerRecord<String, byte[]>> resynced = KafkaTestClient.readAll(CUSTOMER_TOPIC).stream()
                .filter(r -> String.valueOf(KafkaTestClient.header(r, "ce_id")).startsWith(idPrefix)).toList();
        assertThat(resynced).hasSize((Integer) request.get("resynced_records"));
        assertThat(resynced).allSatisfy(r -> {
            assertThat(KafkaTestClient.header(r, "ce_type")).isEqualTo("q2c.customer.changed.v1");
            assertThat(KafkaTestClient.header(r, "q2c-change-type")).isEqualTo("RESYNC");
        });
        List<String> resyncedAccounts = resynced.stream().map(this::crmId).toList();
        assertThat(resyncedAccounts).doesNotHaveDuplicates().contains(known).containsAll(missedIds).doesNotContain(deletedMeanwhile);
        List<String> live = salesforce.accounts().stream().filter(a -> !Boolean.TRUE.equals(a.get("IsDeleted")))
                .map(a -> (String) a.get("Id")).toList();
        assertThat(resyncedAccounts).containsExactlyInAnyOrderElementsOf(live);
        for (String id : missedIds) {
            JsonNode customer = json.readTree(resynced.stream().filter(r -> id.equals(crmId(r))).findFirst().orElseThrow().value());
            assertThat(customer.path("name").asText()).isEqualTo(salesforce.account(id).orElseThrow().get("Name")).isIn(missed);
            assertThat(customer.path("billingCountry").asText()).isEqualTo("NL");
        }
        // The known account keeps its canonical id: the re-sync updates customers, it does not mint new ones.
        assertThat(resynced.stream().filter(r -> known.equals(crmId(r))).findFirst().orElseThrow().key())
                .isEqualTo(awaitCustomerEvent(known, 1).get(0).key());

        // The refused position is gone and the subscription runs again from LATEST: a new account arrives live.
        assertThat(positions.position(SUBSCRIPTION)).isNotEqualTo(Optional.of(stored));
        assertThat(positions.openResyncOccurrences(SUBSCRIPTION)).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> salesforce.activeSubscriptions() > 0);
        String after = salesforce.createAccount(Map.of("Name", "After Resync BV", "BillingCountry", "BE"));
        ConsumerRecord<String, byte[]> live1 = awaitCustomerEvent(after, 1).get(0);
        assertThat(KafkaTestClient.header(live1, "q2c-change-type")).isEqualTo("CREATE");
        salesforce.queryBatchSize(2000);
    }

    @Test
    void aResyncSalesforceCannotServeStaysOpenAndTheSubscriptionNeverSkipsToLatestMeanwhile() throws Exception {
        String stored = awayLongerThanRetention(List.of("Missed While Salesforce Fails"));
        String missed = salesforce.accounts().stream().filter(a -> "Missed While Salesforce Fails".equals(a.get("Name")))
                .map(a -> (String) a.get("Id")).findFirst().orElseThrow();
        salesforce.failNext(1000, 503, "SERVER_UNAVAILABLE");
        double alertsBefore = rejected();
        String query = "GET /services/data/v60.0/query";
        long queriesBefore = salesforce.requests().stream().filter(query::equals).count();

        comeBackWithTheStoredPosition();

        // The re-sync is tried again and again; each try restarts the subscription as it was, and it is refused again.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> salesforce.requests().stream().filter(query::equals).count() >= queriesBefore + 2 && rejected() >= alertsBefore + 2);
        Map<String, Object> open = lastResyncRequest();
        assertThat(open.get("status")).isEqualTo("OPEN");
        assertThat((String) open.get("last_error")).contains("SERVER_UNAVAILABLE");
        assertThat(positions.position(SUBSCRIPTION)).as("never a silent LATEST").contains(stored);
        assertThat(((SalesforceEndpoint) camel.getRoute(INGRESS).getEndpoint()).getConfiguration().getReplayPreset())
                .isEqualTo(ReplayPreset.CUSTOM);
        assertThat(KafkaTestClient.readAll(CUSTOMER_TOPIC).stream().filter(r -> missed.equals(crmId(r)))).isEmpty();

        salesforce.failNext(0, 200, "NONE");
        await().atMost(Duration.ofSeconds(60)).until(this::lastResyncRequest, r -> "DONE".equals(r.get("status")));
        awaitCustomerEvent(missed, 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> salesforce.activeSubscriptions() > 0);
        String after = salesforce.createAccount(Map.of("Name", "After Recovered Resync SA"));
        awaitCustomerEvent(after, 1);
    }

    @Test
    void aGapOverflowIsClosedByRepublishingEveryAccountWhileTheSubscriptionRunsOn() throws Exception {
        String accountId = salesforce.createAccount(Map.of("Name", "Overflow One GmbH", "BillingCountry", "DE"));
        awaitCustomerEvent(accountId, 1);
        long previous = (Long) lastResyncRequest().getOrDefault("id", 0L);

        salesforce.publishGapOverflow(Map.of(accountId, Map.of("Name", "Overflow One Renamed GmbH")));
        String overflowPosition = Base64.getEncoder().encodeToString(salesforce.latestReplayId());

        Map<String, Object> request = await().atMost(Duration.ofSeconds(60)).until(this::lastResyncRequest,
                r -> (Long) r.getOrDefault("id", 0L) > previous && "DONE".equals(r.get("status")));
        ConsumerRecord<String, byte[]> resynced = KafkaTestClient.readAll(CUSTOMER_TOPIC).stream()
                .filter(r -> ("sf-resync-" + request.get("id") + "-" + accountId).equals(KafkaTestClient.header(r, "ce_id")))
                .findFirst().orElseThrow();
        assertThat(json.readTree(resynced.value()).path("name").asText()).isEqualTo("Overflow One Renamed GmbH");
        // The subscription itself was fine: it keeps its position instead of being moved to LATEST.
        assertThat(positions.position(SUBSCRIPTION)).contains(overflowPosition);
        String after = salesforce.createAccount(Map.of("Name", "After Overflow GmbH"));
        awaitCustomerEvent(after, 1);
    }

    /**
     * The hub is away (ingress route stopped) after it stored a position; accounts named so are created and one is
     * created and deleted meanwhile; then retention drops every event, so the stored position is no longer valid.
     * Returns the stored, now refused, position.
     */
    private String awayLongerThanRetention(List<String> namesCreatedMeanwhile) throws Exception {
        String marker = salesforce.createAccount(Map.of("Name", "Last Seen Before Outage"));
        awaitCustomerEvent(marker, 1);
        String stored = Base64.getEncoder().encodeToString(salesforce.latestReplayId());
        await().atMost(Duration.ofSeconds(10)).until(() -> positions.position(SUBSCRIPTION), p -> p.equals(Optional.of(stored)));
        camel.getRouteController().stopRoute(INGRESS);
        for (String name : namesCreatedMeanwhile) {
            salesforce.createAccount(Map.of("Name", name, "BillingCountry", "NL"));
        }
        salesforce.deleteAccount(salesforce.createAccount(Map.of("Name", "Deleted During Outage")));
        salesforce.expireRetainedEvents();
        return stored;
    }

    /** As at the hub's next start: the stored position goes onto the endpoint (SalesforceSubscriptions), the route starts. */
    private void comeBackWithTheStoredPosition() throws Exception {
        SalesforceEndpoint endpoint = (SalesforceEndpoint) camel.getRoute(INGRESS).getEndpoint();
        subscriptions.onEndpointAdd(endpoint);
        assertThat(endpoint.getConfiguration().getReplayPreset()).isEqualTo(ReplayPreset.CUSTOM);
        camel.getRouteController().startRoute(INGRESS);
    }

    /** The newest re-sync request of the Account subscription, as a column map (empty when there is none). */
    private Map<String, Object> lastResyncRequest() throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT id, status, completed_at, resynced_records, last_error FROM crm_resync_request
                WHERE subscription = ? ORDER BY id DESC LIMIT 1""")) {
            ps.setString(1, SUBSCRIPTION);
            try (ResultSet rs = ps.executeQuery()) {
                Map<String, Object> row = new HashMap<>();
                if (rs.next()) {
                    row.put("id", rs.getLong(1));
                    row.put("status", rs.getString(2));
                    row.put("completed_at", rs.getObject(3));
                    row.put("resynced_records", rs.getObject(4));
                    row.put("last_error", rs.getString(5));
                }
                return row;
            }
        }
    }

    @Test
    void aReReadSalesforceKeepsRefusingIsRetriedThenParkedAndLaterChangesStillFlow() throws Exception {
        String accountId = salesforce.createAccount(Map.of("Name", "Unlucky Ltd"));
        awaitCustomerEvent(accountId, 1);
        salesforce.failNext(10, 503, "SERVER_UNAVAILABLE");
        salesforce.publishGapUpdate(accountId);

        await().atMost(Duration.ofSeconds(30)).until(() -> parkedCases(accountId) == 1);
        String read = "GET /services/data/v60.0/sobjects/Account/" + accountId;
        // First attempt plus the test profile's two redeliveries of a transient failure.
        assertThat(salesforce.requests().stream().filter(read::equals).count()).isEqualTo(3);
        salesforce.failNext(0, 200, "NONE");

        String next = salesforce.createAccount(Map.of("Name", "Lucky Ltd"));
        awaitCustomerEvent(next, 1);
        assertThat(KafkaTestClient.readAll(CUSTOMER_TOPIC).stream().filter(r -> accountId.equals(crmId(r)))).hasSize(1);
    }

    /** Exception cases of the ingress route whose parked Salesforce event names the account, as TRANSIENT from salesforce. */
    private int parkedCases(String accountId) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT count(*) FROM exception_case WHERE capability = 'salesforce-account-ingress'
                AND system = 'salesforce' AND failure_class = 'TRANSIENT' AND error_code = 'SERVER_UNAVAILABLE'
                AND convert_from(payload, 'UTF8') LIKE ?""")) {
            ps.setString(1, "%" + accountId + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private double rejected() {
        var counter = metrics.find("q2c.crm.replay.rejected").tag("subscription", SUBSCRIPTION).counter();
        return counter == null ? 0 : counter.count();
    }

    private List<ConsumerRecord<String, byte[]>> awaitCustomerEvent(String accountId, int count) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> KafkaTestClient.readAll(CUSTOMER_TOPIC).stream()
                .filter(r -> accountId.equals(crmId(r))).toList(), found -> found.size() >= count);
    }

    private String crmId(ConsumerRecord<String, byte[]> record) {
        try {
            return json.readTree(record.value()).path("externalIds").path("crm").asText(null);
        } catch (Exception e) {
            return null;
        }
    }

    @Inject
    io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter spans;

    /** A re-sync's accounts go onto the bus in the trace of the re-sync run (the timer route), not one trace each. */
    @Test
    void aResyncPublishesInTheTraceOfItsRun() throws Exception {
        String accountId = salesforce.createAccount(Map.of("Name", "Traced Resync AB", "BillingCountry", "SE"));
        awaitCustomerEvent(accountId, 1);
        long previous = (Long) lastResyncRequest().getOrDefault("id", 0L);
        salesforce.publishGapOverflow(Map.of(accountId, Map.of("Name", "Traced Resync Renamed AB")));
        Map<String, Object> request = await().atMost(Duration.ofSeconds(60)).until(this::lastResyncRequest,
                r -> (Long) r.getOrDefault("id", 0L) > previous && "DONE".equals(r.get("status")));
        ConsumerRecord<String, byte[]> resynced = KafkaTestClient.readAll(CUSTOMER_TOPIC).stream()
                .filter(r -> ("sf-resync-" + request.get("id") + "-" + accountId).equals(KafkaTestClient.header(r, "ce_id")))
                .findFirst().orElseThrow();

        String traceId = KafkaTestClient.header(resynced, "traceparent").split("-")[1];
        io.opentelemetry.api.common.AttributeKey<String> camelUri = io.opentelemetry.api.common.AttributeKey.stringKey("camel.uri");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(spans.getFinishedSpanItems())
                .filteredOn(s -> s.getTraceId().equals(traceId))
                .anySatisfy(s -> assertThat(String.valueOf(s.getAttributes().get(camelUri)))
                        .startsWith("timer://salesforce-account-resync")));
    }
}
