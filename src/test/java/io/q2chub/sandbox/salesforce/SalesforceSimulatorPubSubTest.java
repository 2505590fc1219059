package io.q2chub.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.ConsumerEvent;
import com.salesforce.eventbus.protobuf.FetchRequest;
import com.salesforce.eventbus.protobuf.FetchResponse;
import com.salesforce.eventbus.protobuf.PubSubGrpc;
import com.salesforce.eventbus.protobuf.ReplayPreset;
import com.salesforce.eventbus.protobuf.SchemaRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Pub/Sub API contract of the simulator, through a plain gRPC client the way Salesforce's own examples use it. */
class SalesforceSimulatorPubSubTest {

    static final String TOPIC = "/data/AccountChangeEvent";
    SalesforceSimulator sim;
    ManagedChannel channel;
    PubSubGrpc.PubSubStub async;
    PubSubGrpc.PubSubBlockingStub blocking;

    @BeforeEach
    void start() throws Exception {
        sim = SalesforceSimulator.start(Settings.defaults());
        channel = ManagedChannelBuilder.forAddress(sim.pubSubHost(), sim.pubSubPort()).usePlaintext().build();
        Metadata auth = new Metadata();
        auth.put(Metadata.Key.of("accesstoken", Metadata.ASCII_STRING_MARSHALLER), token());
        auth.put(Metadata.Key.of("instanceurl", Metadata.ASCII_STRING_MARSHALLER), sim.loginUrl());
        auth.put(Metadata.Key.of("tenantid", Metadata.ASCII_STRING_MARSHALLER), "00D000000000001AAA");
        async = PubSubGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth));
        blocking = PubSubGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth));
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow();
        sim.close();
    }

    @Test
    void latestSubscriptionGetsNewChangesAsAvroWithTheChangeEventHeader() throws Exception {
        sim.createAccount(Map.of("Name", "Before"));
        Received received = subscribe(ReplayPreset.LATEST, ByteString.EMPTY, 10);
        String id = sim.createAccount(Map.of("Name", "Acme GmbH", "BillingCountry", "DE"));
        sim.updateAccount(id, Map.of("BillingCountry", "AT"));

        await().atMost(Duration.ofSeconds(10)).until(() -> received.events.size() == 2);
        GenericRecord created = decode(received.events.get(0));
        GenericRecord header = (GenericRecord) created.get("ChangeEventHeader");
        assertThat(header.get("changeType").toString()).isEqualTo("CREATE");
        assertThat(header.get("entityName").toString()).isEqualTo("Account");
        assertThat(((List<?>) header.get("recordIds")).get(0).toString()).isEqualTo(id);
        assertThat(created.get("Name").toString()).isEqualTo("Acme GmbH");
        GenericRecord updated = decode(received.events.get(1));
        assertThat(updated.get("Name")).isNull();
        assertThat(updated.get("BillingCountry").toString()).isEqualTo("AT");
        assertThat(((List<?>) ((GenericRecord) updated.get("ChangeEventHeader")).get("changedFields")).toString()).contains("BillingCountry");
        assertThat(received.events.get(0).getEvent().getId()).isNotEqualTo(received.events.get(1).getEvent().getId());
        assertThat(received.events.get(1).getReplayId().size()).isEqualTo(8);
    }

    @Test
    void flowControlSendsNoMoreThanRequested() {
        for (int i = 0; i < 5; i++) {
            sim.createAccount(Map.of("Name", "A" + i));
        }
        Received received = subscribe(ReplayPreset.EARLIEST, ByteString.EMPTY, 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.events.size() == 3);
        received.requests.onNext(FetchRequest.newBuilder().setTopicName(TOPIC).setNumRequested(10).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> received.events.size() == 5);
    }

    @Test
    void customReplayResumesAfterTheGivenEvent() {
        sim.createAccount(Map.of("Name", "First"));
        byte[] afterFirst = sim.latestReplayId();
        sim.createAccount(Map.of("Name", "Second"));
        Received received = subscribe(ReplayPreset.CUSTOM, ByteString.copyFrom(afterFirst), 10);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.events.size() == 1);
        assertThat(decode(received.events.get(0)).get("Name").toString()).isEqualTo("Second");
    }

    @Test
    void expiredReplayIdIsRefusedAsCorruptedNotSilentlyReplacedByLatest() {
        sim.createAccount(Map.of("Name", "Old"));
        byte[] stale = sim.latestReplayId();
        sim.createAccount(Map.of("Name", "Newer"));
        sim.expireRetainedEvents();
        Received received = subscribe(ReplayPreset.CUSTOM, ByteString.copyFrom(stale), 10);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.error.get() != null);
        StatusRuntimeException error = (StatusRuntimeException) received.error.get();
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(error.getStatus().getDescription()).contains("replay id validation failed");
        assertThat(error.getTrailers().get(Metadata.Key.of("error-code", Metadata.ASCII_STRING_MARSHALLER)))
                .isEqualTo("sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted");
        assertThat(received.events).isEmpty();
    }

    @Test
    void rejectNextSubscriptionRefusesOnceOnly() {
        sim.rejectNextSubscription();
        Received first = subscribe(ReplayPreset.LATEST, ByteString.EMPTY, 10);
        await().atMost(Duration.ofSeconds(10)).until(() -> first.error.get() != null);
        Received second = subscribe(ReplayPreset.LATEST, ByteString.EMPTY, 10);
        sim.createAccount(Map.of("Name", "Acme"));
        await().atMost(Duration.ofSeconds(10)).until(() -> second.events.size() == 1);
        assertThat(second.error.get()).isNull();
    }

    @Test
    void mergeIsADeleteOfTheLoserNamingTheSurvivorThenAnUpdate() {
        String survivor = sim.createAccount(Map.of("Name", "Acme"));
        String loser = sim.createAccount(Map.of("Name", "ACME dup"));
        Received received = subscribe(ReplayPreset.LATEST, ByteString.EMPTY, 10);
        sim.mergeAccounts(survivor, loser);
        sim.publishGapUpdate(survivor);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.events.size() == 3);
        GenericRecord delete = decode(received.events.get(0));
        assertThat(header(delete).get("changeType").toString()).isEqualTo("DELETE");
        assertThat(delete.get("MasterRecordId").toString()).isEqualTo(survivor);
        assertThat(header(decode(received.events.get(1))).get("changeType").toString()).isEqualTo("UPDATE");
        GenericRecord gap = decode(received.events.get(2));
        assertThat(header(gap).get("changeType").toString()).isEqualTo("GAP_UPDATE");
        assertThat(gap.get("Name")).isNull();
    }

    @Test
    void callsWithoutAValidSessionAreUnauthenticated() {
        PubSubGrpc.PubSubBlockingStub anonymous = PubSubGrpc.newBlockingStub(channel);
        StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> anonymous.getSchema(SchemaRequest.newBuilder().setSchemaId(AccountChangeEventSchema.SCHEMA_ID).build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void anActivatedOrderIsAnOrderChangeEventUpdateOfStatusWithoutItsItems() {
        String order = sim.createRecord("Order", Map.of("AccountId", "001000000000001AAA", "EffectiveDate", "2026-12-01",
                "Status", "Draft", "CurrencyIsoCode", "JPY"));
        sim.createRecord("OrderItem", Map.of("OrderId", order, "PricebookEntryId", "01u000000000001AAA", "Quantity", 3, "UnitPrice", 1200));
        sim.activateOrder(order);
        sim.activateOrder(order);

        Received received = subscribe("/data/OrderChangeEvent", ReplayPreset.EARLIEST, 10);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.events.size() == 2);
        GenericRecord created = decode(received.events.get(0));
        assertThat(header(created).get("entityName").toString()).isEqualTo("Order");
        assertThat(created.get("Status").toString()).isEqualTo("Draft");
        GenericRecord activated = decode(received.events.get(1));
        assertThat(header(activated).get("changeType").toString()).isEqualTo("UPDATE");
        assertThat(header(activated).get("changedFields").toString()).isEqualTo("[Status]");
        assertThat(activated.get("Status").toString()).isEqualTo("Activated");
        // Change Data Capture sends no items with the order, and activating twice changes nothing the second time.
        assertThat(activated.getSchema().getField("OrderItems")).isNull();
    }

    @Test
    void aClosedWonOpportunityIsAnOpportunityChangeEvent() {
        String opportunity = sim.createRecord("Opportunity", Map.of("Name", "Renewal", "StageName", "Negotiation",
                "CloseDate", "2026-12-31"));
        sim.closeWon(opportunity);

        Received received = subscribe("/data/OpportunityChangeEvent", ReplayPreset.EARLIEST, 10);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.events.size() == 2);
        GenericRecord won = decode(received.events.get(1));
        assertThat(header(won).get("entityName").toString()).isEqualTo("Opportunity");
        assertThat(won.get("StageName").toString()).isEqualTo("Closed Won");
        assertThat(((List<?>) header(won).get("recordIds")).get(0).toString()).isEqualTo(opportunity);
    }

    private static GenericRecord header(GenericRecord event) {
        return (GenericRecord) event.get("ChangeEventHeader");
    }

    private GenericRecord decode(ConsumerEvent event) {
        try {
            String json = blocking.getSchema(SchemaRequest.newBuilder().setSchemaId(event.getEvent().getSchemaId()).build()).getSchemaJson();
            Schema schema = new Schema.Parser().parse(json);
            return new GenericDatumReader<GenericRecord>(schema).read(null,
                    DecoderFactory.get().binaryDecoder(new ByteArrayInputStream(event.getEvent().getPayload().toByteArray()), null));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private record Received(List<ConsumerEvent> events, AtomicReference<Throwable> error, StreamObserver<FetchRequest> requests) {
    }

    /** A subscription to another channel, from events already published (no wait for the subscription needed). */
    private Received subscribe(String topic, ReplayPreset preset, int numRequested) {
        return subscribe(FetchRequest.newBuilder().setTopicName(topic).setReplayPreset(preset)
                .setNumRequested(numRequested).build());
    }

    private Received subscribe(ReplayPreset preset, ByteString replayId, int numRequested) {
        int before = sim.activeSubscriptions();
        Received received = subscribe(FetchRequest.newBuilder().setTopicName(TOPIC).setReplayPreset(preset)
                .setReplayId(replayId).setNumRequested(numRequested).build());
        // The server answers a subscription only when events arrive: wait until it is registered (or refused)
        // before the test publishes, so LATEST means "after this point".
        await().atMost(Duration.ofSeconds(10))
                .until(() -> sim.activeSubscriptions() > before || received.error().get() != null);
        return received;
    }

    private Received subscribe(FetchRequest request) {
        List<ConsumerEvent> events = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        StreamObserver<FetchRequest> requests = async.subscribe(new StreamObserver<>() {
            @Override
            public void onNext(FetchResponse response) {
                events.addAll(response.getEventsList());
            }

            @Override
            public void onError(Throwable t) {
                error.set(t);
            }

            @Override
            public void onCompleted() {
            }
        });
        requests.onNext(request);
        return new Received(events, error, requests);
    }

    private String token() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sim.loginUrl() + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=q2c-sim-client&client_secret=q2c-sim-secret"))
                .build(), HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body()).path("access_token").asText();
    }
}
