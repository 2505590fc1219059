package io.q2chub.sandbox.salesforce;

import com.sun.net.httpserver.HttpServer;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.q2chub.sandbox.LoopbackHttp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A Salesforce org on the loopback interface: OAuth 2.0 client credentials and the REST API over HTTP, Change Data
 * Capture for Account, Order and Opportunity over the Pub/Sub API (gRPC, plain text). Tests and the sandbox drive it through the hooks
 * below and assert on what it recorded. Not in the production build.
 */
public final class SalesforceSimulator implements AutoCloseable {

    private final SimulatedOrg org;
    private final HttpServer http;
    private final ExecutorService httpThreads;
    private final Server grpc;
    private final PubSubService pubSub;
    private final SalesforceHttpApi api;

    private SalesforceSimulator(SimulatedOrg org, SalesforceHttpApi api, HttpServer http, ExecutorService httpThreads,
            Server grpc, PubSubService pubSub) {
        this.org = org;
        this.api = api;
        this.http = http;
        this.httpThreads = httpThreads;
        this.grpc = grpc;
        this.pubSub = pubSub;
    }

    public static SalesforceSimulator start(Settings settings) throws IOException {
        SimulatedOrg org = new SimulatedOrg(settings.dailyLimit());
        SalesforceHttpApi api = new SalesforceHttpApi(org, settings);
        HttpServer http = LoopbackHttp.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", api);
        ExecutorService threads = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "salesforce-sim-http");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(threads);
        http.start();
        api.baseUrl("http://127.0.0.1:" + http.getAddress().getPort());

        PubSubService pubSub = new PubSubService(List.of(
                new PubSubService.Channel(PubSubService.TOPIC, AccountChangeEventSchema.SCHEMA_ID, AccountChangeEventSchema.SCHEMA, org.events()),
                new PubSubService.Channel(PubSubService.ORDER_TOPIC, OrderChangeEventSchema.SCHEMA_ID, OrderChangeEventSchema.SCHEMA,
                        org.orderEvents()),
                new PubSubService.Channel(PubSubService.OPPORTUNITY_TOPIC, OrderChangeEventSchema.OPPORTUNITY_SCHEMA_ID,
                        OrderChangeEventSchema.OPPORTUNITY_SCHEMA, org.opportunityEvents())));
        Server grpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(pubSub, new PubSubAuthentication(org::validToken)))
                .build().start();
        return new SalesforceSimulator(org, api, http, threads, grpc, pubSub);
    }

    /** Where the OAuth token endpoint lives; the token answer points back here as the instance URL. */
    public String loginUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    public String pubSubHost() {
        return "127.0.0.1";
    }

    public int pubSubPort() {
        return grpc.getPort();
    }

    public String apiVersion() {
        return SalesforceHttpApi.API_VERSION;
    }

    // --- accounts: every change publishes an AccountChangeEvent ----------------------------------------------

    public String createAccount(Map<String, ?> fields) {
        return org.create(fields);
    }

    public void updateAccount(String id, Map<String, ?> changes) {
        org.update(id, changes);
    }

    public void deleteAccount(String id) {
        org.delete(id);
    }

    /** DELETE of the loser (MasterRecordId = survivor), then UPDATE of the survivor, as Salesforce merges. */
    public void mergeAccounts(String survivorId, String loserId) {
        org.merge(survivorId, loserId, Map.of());
    }

    /** Publishes a GAP_UPDATE for the account: a change happened but the event carries no field data. */
    public void publishGapUpdate(String id) {
        publishGapUpdate(id, Map.of());
    }

    /** Applies the changes and publishes a GAP_UPDATE that carries none of them: only a re-read shows them. */
    public void publishGapUpdate(String id, Map<String, ?> changes) {
        org.gap("GAP_UPDATE", id, changes);
    }

    /** Applies the changes per account id and publishes a GAP_OVERFLOW naming no record: only a re-sync shows them. */
    public void publishGapOverflow(Map<String, ? extends Map<String, ?>> silentChanges) {
        org.overflow(silentChanges);
    }

    /** Publishes the last event once more under the same event id, as an at-least-once bus may. */
    public void redeliverLastEvent() {
        List<ChangeEventLog.StoredEvent> all = org.events().all();
        org.events().redeliver(all.get(all.size() - 1));
    }

    public Optional<Map<String, Object>> account(String id) {
        return org.any(id);
    }

    public List<Map<String, Object>> accounts() {
        return org.accounts();
    }

    // --- records of every sObject type (Account, Contact, Opportunity, Order, Product2, PricebookEntry) ---------

    /** Creates a record directly, bypassing validation and the API budget, e.g. to seed duplicates of an external id. */
    public String createRecord(String type, Map<String, ?> fields) {
        return table(type).create(fields);
    }

    /** The record of the type, deleted ones included (IsDeleted true). */
    public Optional<Map<String, Object>> record(String type, String id) {
        return table(type).any(id).map(java.util.LinkedHashMap::new);
    }

    /** Every record of the type the org holds, deleted ones included. */
    public List<Map<String, Object>> records(String type) {
        return org.sObjects().records(type);
    }

    /** Changes a record as the REST API would; an Order change publishes its OrderChangeEvent. */
    public void updateRecord(String type, String id, Map<String, ?> changes) {
        table(type).update(id, changes);
    }

    /**
     * Activates the order (Status = 'Activated'), as a sales rep does once the order is complete: the UPDATE event
     * the hub books a contract from. Items must be added before, as Salesforce refuses item changes on an active order.
     */
    public void activateOrder(String orderId) {
        updateRecord("Order", orderId, Map.of("Status", "Activated"));
    }

    /** Marks the opportunity won (StageName = 'Closed Won'): an OpportunityChangeEvent UPDATE, as in Salesforce. */
    public void closeWon(String opportunityId) {
        updateRecord("Opportunity", opportunityId, Map.of("StageName", "Closed Won"));
    }

    private SObjectTable table(String type) {
        return org.sObjects().table(type).orElseThrow(() -> new IllegalArgumentException("no sObject type " + type));
    }

    // --- event bus ---------------------------------------------------------------------------------------------

    /** The replay id of the latest event (8 bytes), as a subscriber would have stored it. */
    public byte[] latestReplayId() {
        List<ChangeEventLog.StoredEvent> all = org.events().all();
        return all.isEmpty() ? new byte[Long.BYTES] : all.get(all.size() - 1).replayId();
    }

    /** Forgets every event published so far, as retention does after 72 hours: their replay ids become invalid. */
    public void expireRetainedEvents() {
        org.events().expireUpTo(org.events().nextSequence() - 1);
    }

    /** Pub/Sub subscriptions to AccountChangeEvent currently open. */
    public int activeSubscriptions() {
        return pubSub.activeSubscriptions();
    }

    /** Pub/Sub subscriptions to OrderChangeEvent currently open. */
    public int activeOrderSubscriptions() {
        return pubSub.activeSubscriptions(PubSubService.ORDER_TOPIC);
    }

    /** The next Subscribe is refused as a corrupted replay id. */
    public void rejectNextSubscription() {
        pubSub.rejectNextSubscription();
    }

    // --- REST: budget, faults, what was called ------------------------------------------------------------------

    public int apiCalls() {
        return org.apiCalls();
    }

    public void dailyLimit(int limit) {
        org.dailyLimit(limit);
    }

    /** The next {@code times} REST calls answer {@code status} with {@code errorCode}. */
    public void failNext(int times, int status, String errorCode) {
        org.failNext(times, status, errorCode);
    }

    /** Ends every session: the next call with an old token gets INVALID_SESSION_ID. */
    public void expireSessions() {
        org.expireSessions();
    }

    /** Every REST request received, as "METHOD /path", in order. */
    public List<String> requests() {
        return org.requests();
    }

    /** Every REST call waits this long before it is answered (ZERO to stop); beyond a client's timeout it times out. */
    public void latency(Duration latency) {
        org.latency(latency);
    }

    /** Records per page of a SOQL query answer (Salesforce: 2000); small in tests to exercise nextRecordsUrl. */
    public void queryBatchSize(int size) {
        api.queries().batchSize(size);
    }

    public void reset() {
        org.reset();
        api.queries().batchSize(AccountQueries.DEFAULT_BATCH_SIZE);
    }

    @Override
    public void close() throws InterruptedException {
        grpc.shutdownNow();
        grpc.awaitTermination(5, TimeUnit.SECONDS);
        http.stop(0);
        httpThreads.shutdownNow();
    }
}
