package io.q2chub.sandbox.salesforce;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one Salesforce org holds: its Account records, the sessions it issued, its daily API budget and the change
 * events of its records. Every change made here, through REST or a test hook, publishes a change event the way
 * Change Data Capture does.
 */
final class SimulatedOrg {

    static final String ORG_ID = "00D000000000001AAA";
    static final String USER_ID = "005000000000001AAA";

    /** Fields an Account has here; writing any other is INVALID_FIELD, as in Salesforce. */
    static final Set<String> WRITABLE = Set.of("Name", "Type", "ParentId", "BillingCountry", "CurrencyIsoCode",
            "Tax_Id__c", "Legal_Entity__c", "ERP_Id__c", "Billing_Id__c", "Sync_Status__c", "Sync_Message__c");

    private final Map<String, Map<String, Object>> accounts = new ConcurrentHashMap<>();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicInteger apiCalls = new AtomicInteger();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final ChangeEventLog events = new ChangeEventLog();
    private final ChangeEventLog orderEvents = new ChangeEventLog("Order", OrderChangeEventSchema.SCHEMA,
            OrderChangeEventSchema.FIELDS);
    private final ChangeEventLog opportunityEvents = new ChangeEventLog("Opportunity", OrderChangeEventSchema.OPPORTUNITY_SCHEMA,
            OrderChangeEventSchema.OPPORTUNITY_FIELDS);
    private final SObjects sObjects = new SObjects(this);
    private volatile int dailyLimit;
    private volatile Fault fault;
    private volatile Duration latency = Duration.ZERO;

    /** The next {@code remaining} REST calls answer {@code status} with {@code errorCode}. */
    record Fault(int status, String errorCode, AtomicInteger remaining) {
    }

    SimulatedOrg(int dailyLimit) {
        this.dailyLimit = dailyLimit;
    }

    // --- sessions --------------------------------------------------------------------------------------------

    String issueToken() {
        String token = ORG_ID + "!" + UUID.randomUUID().toString().replace("-", "");
        tokens.add(token);
        return token;
    }

    boolean validToken(String token) {
        return token != null && tokens.contains(token);
    }

    /** Every session ends, as when an admin revokes them or they time out. */
    void expireSessions() {
        tokens.clear();
    }

    // --- API budget and faults ------------------------------------------------------------------------------

    /** Counts one call against the daily budget; false when the budget was already used up. */
    boolean countCall() {
        return apiCalls.incrementAndGet() <= dailyLimit;
    }

    int apiCalls() {
        return apiCalls.get();
    }

    int dailyLimit() {
        return dailyLimit;
    }

    void dailyLimit(int limit) {
        dailyLimit = limit;
    }

    void failNext(int times, int status, String errorCode) {
        fault = new Fault(status, errorCode, new AtomicInteger(times));
    }

    void latency(Duration latency) {
        this.latency = latency;
    }

    /** A slow org; longer than the caller's timeout, it is a timeout with the outcome unknown to the caller. */
    void delay() {
        try {
            Thread.sleep(latency.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The injected fault for this call, if any is left. */
    Optional<Fault> takeFault() {
        Fault f = fault;
        if (f != null && f.remaining().getAndDecrement() > 0) {
            return Optional.of(f);
        }
        return Optional.empty();
    }

    void record(String request) {
        requests.add(request);
    }

    List<String> requests() {
        return List.copyOf(requests);
    }

    // --- accounts ---------------------------------------------------------------------------------------------

    String create(Map<String, ?> fields) {
        String id = String.format("001%015d", nextId.getAndIncrement()).substring(0, 18);
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("Id", id);
        account.put("IsDeleted", false);
        account.put("MasterRecordId", null);
        for (String f : WRITABLE) {
            account.put(f, null);
        }
        fields.forEach(account::put);
        accounts.put(id, account);
        events.append("CREATE", List.of(id), strings(fields), List.of());
        return id;
    }

    /** Applies the changes; only fields whose value really changed appear in the change event. */
    void update(String id, Map<String, ?> changes) {
        Map<String, Object> account = live(id).orElseThrow(() -> new IllegalArgumentException("no account " + id));
        Map<String, Object> changed = new LinkedHashMap<>();
        synchronized (account) {
            changes.forEach((field, value) -> {
                if (!Objects.equals(account.get(field), value)) {
                    changed.put(field, value);
                    account.put(field, value);
                }
            });
        }
        if (!changed.isEmpty()) {
            events.append("UPDATE", List.of(id), strings(changed), List.copyOf(changed.keySet()));
        }
    }

    void delete(String id) {
        markDeleted(id, null);
        events.append("DELETE", List.of(id), Map.of(), List.of());
    }

    /**
     * Merges the loser into the survivor as Salesforce does: the loser is deleted with MasterRecordId pointing at
     * the survivor (a DELETE event carrying it), then the survivor is updated.
     */
    void merge(String survivorId, String loserId, Map<String, ?> survivorChanges) {
        markDeleted(loserId, survivorId);
        events.append("DELETE", List.of(loserId), Map.of("MasterRecordId", survivorId), List.of("MasterRecordId"));
        Map<String, Object> changes = new LinkedHashMap<>(survivorChanges);
        if (changes.isEmpty()) {
            // A merge always touches the survivor; without field changes Salesforce still emits an UPDATE.
            events.append("UPDATE", List.of(survivorId), Map.of(), List.of("LastModifiedDate"));
        } else {
            update(survivorId, changes);
        }
    }

    /**
     * A GAP event: the changes are made, but Salesforce could not produce the change's data, so the event names
     * the record only.
     */
    void gap(String changeType, String id, Map<String, ?> silentChanges) {
        live(id).ifPresent(account -> silentChanges.forEach(account::put));
        events.append(changeType, List.of(id), Map.of(), List.of());
    }

    /** Changes too many records for the bus to describe: the GAP_OVERFLOW event names none of them. */
    void overflow(Map<String, ? extends Map<String, ?>> silentChanges) {
        silentChanges.forEach((id, changes) -> live(id).ifPresent(account -> changes.forEach(account::put)));
        events.append("GAP_OVERFLOW", List.of(), Map.of(), List.of());
    }

    Optional<Map<String, Object>> live(String id) {
        Map<String, Object> account = accounts.get(id);
        return account == null || Boolean.TRUE.equals(account.get("IsDeleted")) ? Optional.empty() : Optional.of(account);
    }

    Optional<Map<String, Object>> any(String id) {
        return Optional.ofNullable(accounts.get(id));
    }

    Optional<String> findBy(String field, String value) {
        return accounts.values().stream()
                .filter(a -> !Boolean.TRUE.equals(a.get("IsDeleted")) && value.equals(a.get(field)))
                .map(a -> (String) a.get("Id")).findFirst();
    }

    List<Map<String, Object>> accounts() {
        List<Map<String, Object>> copy = new ArrayList<>();
        accounts.values().forEach(a -> copy.add(new LinkedHashMap<>(a)));
        return copy;
    }

    ChangeEventLog events() {
        return events;
    }

    /** OrderChangeEvent, a channel of its own with its own replay ids, as each CDC channel has. */
    ChangeEventLog orderEvents() {
        return orderEvents;
    }

    ChangeEventLog opportunityEvents() {
        return opportunityEvents;
    }

    /** Records of every sObject type, Accounts included (as a view over the store above). */
    SObjects sObjects() {
        return sObjects;
    }

    void reset() {
        accounts.clear();
        apiCalls.set(0);
        requests.clear();
        fault = null;
        latency = Duration.ZERO;
        events.clear();
        orderEvents.clear();
        opportunityEvents.clear();
        sObjects.clear();
    }

    private void markDeleted(String id, String masterId) {
        Map<String, Object> account = live(id).orElseThrow(() -> new IllegalArgumentException("no account " + id));
        account.put("IsDeleted", true);
        account.put("MasterRecordId", masterId);
    }

    private static Map<String, String> strings(Map<String, ?> fields) {
        Map<String, String> values = new LinkedHashMap<>();
        fields.forEach((k, v) -> values.put(k, v == null ? null : String.valueOf(v)));
        return values;
    }
}
