package io.q2chub.connector.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.q2chub.connector.Crm.SyncStatus;
import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.ops.failure.IntegrationFailure;
import io.q2chub.ops.failure.SecurityFailure;
import io.q2chub.ops.failure.TransientFailure;
import io.q2chub.sandbox.salesforce.SalesforceSimulator;
import io.q2chub.testing.HubTestServices;
import io.q2chub.testing.SalesforceTestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The CRM connector against the simulated org: what it costs in API calls and how Salesforce's refusals are classified. */
@QuarkusTest
@TestProfile(SalesforceEnabled.class)
@QuarkusTestResource(HubTestServices.class)
class SalesforceCrmTest {

    @Inject
    SalesforceCrm crm;

    @SalesforceTestServices.Simulator
    SalesforceSimulator salesforce;

    @AfterEach
    void restoreBudget() {
        salesforce.dailyLimit(100_000);
        salesforce.failNext(0, 200, "NONE");
        salesforce.queryBatchSize(2000);
    }

    @Test
    void fetchReadsTheAccountInOneCall() {
        String id = salesforce.createAccount(Map.of("Name", "Fetch Oy", "BillingCountry", "FI"));
        int before = salesforce.requests().size();
        Map<String, Object> account = crm.fetchAccount(id).orElseThrow();
        assertThat(account).containsEntry("Name", "Fetch Oy").containsEntry("BillingCountry", "FI").doesNotContainKey("attributes");
        // Counted by path: the hub's own background routes (write-back, re-sync) may call the org meanwhile.
        List<String> calls = salesforce.requests().subList(before, salesforce.requests().size());
        assertThat(calls.stream().filter(call -> call.contains(id))).hasSize(1);
        assertThat(crm.system()).isEqualTo("salesforce");
    }

    @Test
    void unknownOrDeletedAccountIsEmpty() {
        String id = salesforce.createAccount(Map.of("Name", "Short Lived"));
        salesforce.deleteAccount(id);
        assertThat(crm.fetchAccount(id)).isEmpty();
        assertThat(crm.fetchAccount("001000000000404AAA")).isEmpty();
    }

    @Test
    void writeBackOf100AccountsTakesOneApiCall() {
        List<SyncStatus> statuses = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String id = salesforce.createAccount(Map.of("Name", "Batch " + i));
            statuses.add(new SyncStatus(id, "erp-" + i, "cus_" + i, "SYNCED", null));
        }
        int before = salesforce.apiCalls();
        crm.writeBack(statuses);
        assertThat(salesforce.apiCalls() - before).isEqualTo(1);
        assertThat(salesforce.account(statuses.get(99).accountId()).orElseThrow())
                .containsEntry("ERP_Id__c", "erp-99").containsEntry("Billing_Id__c", "cus_99").containsEntry("Sync_Status__c", "SYNCED");
    }

    @Test
    void writeBackOf201AccountsTakesTwoCalls() {
        List<SyncStatus> statuses = new ArrayList<>();
        for (int i = 0; i < 201; i++) {
            statuses.add(new SyncStatus(salesforce.createAccount(Map.of("Name", "Big " + i)), "erp-" + i, null, "SYNCED", null));
        }
        int before = salesforce.requests().size();
        crm.writeBack(statuses);
        // counted by path: the hub's own ingress reads the 201 new accounts meanwhile
        List<String> calls = salesforce.requests().subList(before, salesforce.requests().size());
        assertThat(calls).filteredOn(call -> call.contains("composite/sobjects")).hasSize(2);
        assertThat(salesforce.account(statuses.get(200).accountId()).orElseThrow()).containsEntry("ERP_Id__c", "erp-200");
    }

    @Test
    void aRefusedRecordIsABusinessFailureNamingItWhileTheOthersAreWritten() {
        String good = salesforce.createAccount(Map.of("Name", "Good"));
        String gone = salesforce.createAccount(Map.of("Name", "Gone"));
        salesforce.deleteAccount(gone);
        IntegrationFailure failure = catchFailure(() -> crm.writeBack(List.of(
                new SyncStatus(good, "erp-g", null, "SYNCED", null), new SyncStatus(gone, "erp-x", null, "SYNCED", null))));
        assertThat(failure).isInstanceOf(BusinessFailure.class).hasMessageContaining(gone);
        assertThat(failure.errorCode()).isEqualTo("WRITE_BACK_REFUSED");
        assertThat(salesforce.account(good).orElseThrow()).containsEntry("ERP_Id__c", "erp-g");
    }

    @Test
    void overTheDailyLimitIsTransientAndKeepsSalesforcesErrorCode() {
        String id = salesforce.createAccount(Map.of("Name", "Limit"));
        salesforce.dailyLimit(salesforce.apiCalls());
        IntegrationFailure failure = catchFailure(() -> crm.fetchAccount(id));
        assertThat(failure).isInstanceOf(TransientFailure.class);
        assertThat(failure.system()).isEqualTo("salesforce");
        assertThat(failure.errorCode()).isEqualTo("REQUEST_LIMIT_EXCEEDED");

        IntegrationFailure writeBack = catchFailure(() -> crm.writeBack(List.of(new SyncStatus(id, "e", null, "SYNCED", null))));
        assertThat(writeBack).isInstanceOf(TransientFailure.class);
        assertThat(writeBack.errorCode()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
    }

    @Test
    void serverErrorsAreTransient() {
        String id = salesforce.createAccount(Map.of("Name", "Flaky"));
        salesforce.failNext(1, 503, "SERVER_UNAVAILABLE");
        assertThat(catchFailure(() -> crm.fetchAccount(id))).isInstanceOf(TransientFailure.class);
        assertThat(crm.fetchAccount(id)).isPresent();
    }

    @Test
    void anExpiredSessionIsRenewedTransparently() {
        String id = salesforce.createAccount(Map.of("Name", "Session"));
        salesforce.expireSessions();
        assertThat(crm.fetchAccount(id)).isPresent();
    }

    @Test
    void aSessionRefusedEvenAfterLoggingInAgainIsASecurityFailure() {
        String id = salesforce.createAccount(Map.of("Name", "Locked"));
        salesforce.failNext(10, 401, "INVALID_SESSION_ID");
        IntegrationFailure failure = catchFailure(() -> crm.fetchAccount(id));
        assertThat(failure).isInstanceOf(SecurityFailure.class);
        assertThat(failure.errorCode()).as(failure.getMessage()).isEqualTo("INVALID_SESSION_ID");
    }

    @Test
    void invalidWriteIsABusinessFailure() {
        String id = salesforce.createAccount(Map.of("Name", "Valid"));
        salesforce.failNext(1, 400, "FIELD_CUSTOM_VALIDATION_EXCEPTION");
        IntegrationFailure failure = catchFailure(() -> crm.writeBack(List.of(new SyncStatus(id, "e", null, "SYNCED", null))));
        assertThat(failure).isInstanceOf(BusinessFailure.class);
        assertThat(failure.errorCode()).isEqualTo("FIELD_CUSTOM_VALIDATION_EXCEPTION");
    }

    @Test
    void upsertAccountCreatesOnceThenUpdatesTheSameRecord() {
        int before = salesforce.requests().size();
        String id = crm.upsertAccount("Q2C_Customer_Id__c", "cust-upsert-1", Map.of("Name", "Upsert AB", "BillingCountry", "SE"));
        assertThat(id).startsWith("001");
        String again = crm.upsertAccount("Q2C_Customer_Id__c", "cust-upsert-1", Map.of("Name", "Upsert AB", "BillingCountry", "NO"));
        assertThat(again).isEqualTo(id);
        assertThat(salesforce.accounts()).filteredOn(a -> "cust-upsert-1".equals(a.get("Q2C_Customer_Id__c"))).hasSize(1);
        assertThat(salesforce.account(id).orElseThrow()).containsEntry("Name", "Upsert AB").containsEntry("BillingCountry", "NO");
        // One PATCH per upsert and no look-up by external id. (The account ingress reacts to the change events of
        // the same org and makes calls of its own, so the org's call counter is not the connector's alone.)
        List<String> calls = salesforce.requests().subList(before, salesforce.requests().size());
        assertThat(calls).as(calls.toString())
                .filteredOn(r -> r.contains("Q2C_Customer_Id__c"))
                .containsExactly("PATCH /services/data/v60.0/sobjects/Account/Q2C_Customer_Id__c/cust-upsert-1",
                        "PATCH /services/data/v60.0/sobjects/Account/Q2C_Customer_Id__c/cust-upsert-1");
    }

    @Test
    void anUpsertSalesforceRefusesIsABusinessFailureWithItsCodeAndNothingIsCreated() {
        IntegrationFailure failure = catchFailure(() -> crm.upsertAccount("Q2C_Customer_Id__c", "cust-nameless", Map.of("Type", "Customer")));
        assertThat(failure).isInstanceOf(BusinessFailure.class);
        assertThat(failure.errorCode()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(failure).hasMessageContaining("Name");
        assertThat(salesforce.accounts()).noneMatch(a -> "cust-nameless".equals(a.get("Q2C_Customer_Id__c")));

        IntegrationFailure unknownField = catchFailure(() -> crm.upsertAccount("Nope__c", "x", Map.of("Name", "X")));
        assertThat(unknownField).isInstanceOf(BusinessFailure.class);
        assertThat(unknownField.errorCode()).isEqualTo("NOT_FOUND");
    }

    @Test
    void anExternalIdHeldByTwoAccountsIsMultipleChoicesNamingBoth() {
        String first = salesforce.createAccount(Map.of("Name", "Twin 1", "Q2C_Customer_Id__c", "cust-twin"));
        String second = salesforce.createAccount(Map.of("Name", "Twin 2", "Q2C_Customer_Id__c", "cust-twin"));
        IntegrationFailure failure = catchFailure(() -> crm.upsertAccount("Q2C_Customer_Id__c", "cust-twin", Map.of("Name", "Twin")));
        assertThat(failure).isInstanceOf(BusinessFailure.class).hasMessageContaining(first).hasMessageContaining(second);
        assertThat(failure.errorCode()).isEqualTo("MULTIPLE_CHOICES");
        assertThat(salesforce.account(first).orElseThrow()).containsEntry("Name", "Twin 1");
        assertThat(salesforce.account(second).orElseThrow()).containsEntry("Name", "Twin 2");
    }

    @Test
    void anUpsertOverTheDailyLimitIsTransient() {
        salesforce.dailyLimit(salesforce.apiCalls());
        IntegrationFailure failure = catchFailure(() -> crm.upsertAccount("Q2C_Customer_Id__c", "cust-limit", Map.of("Name", "Limit")));
        assertThat(failure).isInstanceOf(TransientFailure.class);
        assertThat(failure.errorCode()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
    }

    @Test
    void listingFollowsNextRecordsUrlOneCallPerPageAndLeavesDeletedAccountsOut() {
        String deleted = salesforce.createAccount(Map.of("Name", "Listed Then Deleted"));
        salesforce.deleteAccount(deleted);
        String listed = salesforce.createAccount(Map.of("Name", "Listed AB", "BillingCountry", "SE", "CurrencyIsoCode", "SEK",
                "Tax_Id__c", "SE556000000001", "Legal_Entity__c", "q2c-ab"));
        List<String> live = salesforce.accounts().stream().filter(a -> !Boolean.TRUE.equals(a.get("IsDeleted")))
                .map(a -> (String) a.get("Id")).toList();
        salesforce.queryBatchSize(7);
        int before = salesforce.apiCalls();

        List<Map<String, Object>> accounts = crm.listAccounts(SalesforceAccountEvents.ACCOUNT_FIELDS);

        assertThat(accounts).extracting(a -> (String) a.get("Id")).containsExactlyInAnyOrderElementsOf(live).doesNotContain(deleted);
        assertThat(salesforce.apiCalls() - before).isEqualTo((live.size() + 6) / 7);
        assertThat(accounts).filteredOn(a -> listed.equals(a.get("Id"))).singleElement().satisfies(a -> assertThat(a)
                .containsEntry("Name", "Listed AB").containsEntry("BillingCountry", "SE").containsEntry("CurrencyIsoCode", "SEK")
                .containsEntry("Tax_Id__c", "SE556000000001").containsEntry("Legal_Entity__c", "q2c-ab")
                .doesNotContainKeys("attributes", "Sync_Status__c"));
    }

    @Test
    void aListingSalesforceRefusesIsClassifiedLikeEveryOtherCall() {
        salesforce.failNext(1, 503, "SERVER_UNAVAILABLE");
        assertThat(catchFailure(() -> crm.listAccounts(List.of("Id", "Name")))).isInstanceOf(TransientFailure.class);
        salesforce.dailyLimit(salesforce.apiCalls());
        IntegrationFailure limit = catchFailure(() -> crm.listAccounts(List.of("Id", "Name")));
        assertThat(limit).isInstanceOf(TransientFailure.class);
        assertThat(limit.errorCode()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
    }

    private static IntegrationFailure catchFailure(Runnable call) {
        Throwable thrown = catchThrowable(call::run);
        assertThat(thrown).as(String.valueOf(thrown)).isInstanceOf(IntegrationFailure.class);
        return (IntegrationFailure) thrown;
    }

    @Inject
    io.opentelemetry.api.trace.Tracer tracer;

    @Inject
    io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter spans;

    /**
     * camel-salesforce calls go through Camel endpoints, so Camel's tracer (camel-opentelemetry2) makes their span
     * (named "salesforce", the operation in url.path); SalesforceCrm hands it the caller's span, so it sits in the
     * trace of the step that makes the call. Without that hand-over the span started a trace of its own.
     */
    @Test
    void aSalesforceCallIsASpanInTheCallersTrace() {
        String id = salesforce.createAccount(Map.of("Name", "Traced Oy", "BillingCountry", "FI"));
        io.opentelemetry.api.trace.Span caller = tracer.spanBuilder("capability step").startSpan();
        try (io.opentelemetry.context.Scope ignored = caller.makeCurrent()) {
            crm.fetchAccount(id).orElseThrow();
        } finally {
            caller.end();
        }
        String traceId = caller.getSpanContext().getTraceId();
        List<io.opentelemetry.sdk.trace.data.SpanData> trace = org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() -> spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList(),
                        t -> t.size() > 1);
        String described = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getTraceId().equals(traceId) || s.getAttributes().toString().contains("salesforce:"))
                .map(s -> s.getTraceId() + " " + s.getParentSpanId() + " " + s.getName() + " " + s.getKind() + " "
                        + s.getAttributes())
                .collect(java.util.stream.Collectors.joining("\n"));
        assertThat(trace).as(described).anySatisfy(s -> {
            assertThat(s.getName()).isEqualTo("salesforce");
            assertThat(s.getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
            assertThat(String.valueOf(s.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("camel.uri"))))
                    .startsWith("salesforce://getSObject");
        });
    }
}
