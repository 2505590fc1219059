package io.q2chub.capability.reconciliation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.q2chub.canonical.Customer;
import io.q2chub.connector.ConnectorRoles;
import io.q2chub.connector.Erp;
import io.q2chub.ops.xref.CrossReference;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.sandbox.netsuite.Transaction;
import io.q2chub.sandbox.stripe.StripeSimulator;
import io.q2chub.testing.CanonicalSamples;
import io.q2chub.testing.ErpAndBillingSimulators;
import io.q2chub.testing.HubTestServices;
import io.q2chub.testing.Sql;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reconciliation on the real broker, database, YAML routes and simulators over HTTP: invoices are issued in the
 * Stripe simulator and go the whole way (signed webhook → invoice.issued → posting → NetSuite); discrepancies are
 * then seeded in the simulators the way they happen (a webhook that never arrived, an amount edited in NetSuite,
 * a void the hub never heard of, an invoice entered in NetSuite by hand) and the report must name each one.
 */
@QuarkusTest
@TestProfile(ReconciliationTest.Webhooks.class)
@QuarkusTestResource(HubTestServices.class)
@QuarkusTestResource(value = ErpAndBillingSimulators.class, restrictToAnnotatedClass = true)
class ReconciliationTest {

    static final String SECRET = "whsec_test_recon_0001";
    static final String API = "/api/reconciliations";
    private static final long JAN_1_2027 = 1_798_761_600L;
    private static final long FEB_1_2027 = 1_801_440_000L;

    /** The webhook signing secret the Stripe simulator signs with. */
    public static class Webhooks implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("q2c.stripe.webhook-secrets", SECRET);
        }
    }

    @ErpAndBillingSimulators.Simulator
    StripeSimulator stripe;

    @ErpAndBillingSimulators.Simulator
    NetSuiteSimulator netsuite;

    @Inject
    ConnectorRoles roles;

    @Inject
    CrossReference xref;

    @Inject
    AgroalDataSource db;

    @Inject
    MeterRegistry metrics;

    @TestHTTPResource("/webhooks/stripe")
    URL webhookEndpoint;

    private Instant windowStart;

    @BeforeEach
    void emptySystems() {
        stripe.reset();
        netsuite.reset();
        stripe.webhooks().endpoint(webhookEndpoint.toString(), SECRET);
        stripe.webhooks().retries(Duration.ofMillis(200), 10);
        windowStart = Instant.now().minusSeconds(60);
    }

    @Test
    void aCleanDatasetReconcilesToZero() throws Exception {
        String customer = onboardedCustomer();
        List<String> invoices = List.of(posted(customer, 2, 1999), posted(customer, 1, 120000), posted(customer, 3, 5));

        JsonPath report = run(false);

        assertThat(report.getString("status")).isEqualTo("COMPLETED");
        assertThat(report.getInt("billingDocuments")).isEqualTo(invoices.size());
        assertThat(report.getInt("erpDocuments")).isEqualTo(invoices.size());
        assertThat(report.getMap("counts").values()).allMatch(count -> ((Integer) count) == 0);
        assertThat(report.getList("discrepancies")).isEmpty();
        assertThat(gauge("MISSING_IN_ERP")).isZero();
        assertThat(metrics.get("q2c.reconciliation.lag").gauge().value()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void eachSeededDiscrepancyIsReportedWithItsIdsAndOpensOneCaseThatCountsRepeats() throws Exception {
        String customer = onboardedCustomer();
        String edited = posted(customer, 2, 1999);          // 39.98 USD, edited to 40.00 in NetSuite
        String voided = posted(customer, 1, 5000);          // voided at Stripe, the webhook never arrived
        String copied = posted(customer, 1, 7000);          // copied by hand in NetSuite, without an external id
        String clean = posted(customer, 4, 2500);
        netsuite.changeInvoiceTotal(canonical(edited), new BigDecimal("40.00"));
        stripe.forceInvoiceStatus(voided, "void");
        Transaction manual = netsuite.enterInvoiceByHand(canonical(copied));
        stripe.webhooks().hold(); // from here on, no webhook reaches the hub
        String missing = (String) stripe.createInvoice(invoice(customer, 5, 1000)).get("id");

        JsonPath report = run(false);

        assertThat(report.getMap("counts")).containsEntry("MISSING_IN_ERP", 1).containsEntry("AMOUNT_MISMATCH", 1)
                .containsEntry("STATUS_MISMATCH", 1).containsEntry("ERP_WITHOUT_SOURCE", 1)
                .containsEntry("BOOKING_NOT_INVOICED", 0);
        Map<String, Object> gap = item(report, "MISSING_IN_ERP");
        assertThat(gap).containsEntry("billingId", missing).containsEntry("erpId", null)
                .containsEntry("billingAmountMinor", 5000).containsEntry("currency", "USD");
        Map<String, Object> amount = item(report, "AMOUNT_MISMATCH");
        assertThat(amount).containsEntry("documentId", canonical(edited)).containsEntry("billingId", edited)
                .containsEntry("erpId", netsuite.invoice(canonical(edited)).orElseThrow().internalId())
                .containsEntry("billingAmountMinor", 3998).containsEntry("erpAmountMinor", 4000);
        Map<String, Object> status = item(report, "STATUS_MISMATCH");
        assertThat(status).containsEntry("billingId", voided).containsEntry("billingStatus", "void")
                .containsEntry("erpStatus", "open");
        Map<String, Object> noSource = item(report, "ERP_WITHOUT_SOURCE");
        assertThat(noSource).containsEntry("erpId", manual.internalId()).containsEntry("billingId", null)
                .containsEntry("erpAmountMinor", 7000);
        assertThat(report.getList("discrepancies")).hasSize(4);
        assertThat(gauge("AMOUNT_MISMATCH")).isEqualTo(1.0);
        assertThat(report.getList("discrepancies").toString()).doesNotContain(clean);

        // one BUSINESS case per discrepancy, keyed by the document; found again = the same case, counted
        long caseId = ((Number) amount.get("exceptionCaseId")).longValue();
        assertThat(Sql.first(db, "SELECT capability || ' ' || failure_class || ' ' || error_code || ' ' || business_key"
                + " FROM exception_case WHERE id = ?", caseId))
                .contains("reconciliation BUSINESS AMOUNT_MISMATCH " + canonical(edited));
        JsonPath again = run(false);
        assertThat(((Number) item(again, "AMOUNT_MISMATCH").get("exceptionCaseId")).longValue()).isEqualTo(caseId);
        assertThat(Sql.first(db, "SELECT occurrences::text FROM exception_case WHERE id = ?", caseId)).contains("2");

        // CSV for finance: a header and one row per discrepancy, exact decimals
        String csv = as("viewer").get(API + "/" + report.getLong("id") + ".csv").then().statusCode(200)
                .contentType("text/csv").extract().asString();
        List<String> rows = csv.lines().toList();
        assertThat(rows.get(0)).isEqualTo(ReconciliationCsv.HEADER);
        assertThat(rows).hasSize(5);
        assertThat(rows).anySatisfy(row -> assertThat(row).startsWith(report.getLong("id") + ",AMOUNT_MISMATCH,"
                + canonical(edited) + "," + edited).contains(",USD,39.98,40.00,"));
        assertThat(as("viewer").queryParam("format", "csv").get(API + "/" + report.getLong("id")).then()
                .statusCode(200).extract().asString()).isEqualTo(csv);
        // the list names the run; a viewer may read but not run
        assertThat(as("viewer").get(API).then().statusCode(200).extract().jsonPath().getList("id", Long.class))
                .contains(report.getLong("id"));
        as("viewer").contentType("application/json").body(Map.of("from", windowStart.toString(),
                "to", Instant.now().toString())).post(API).then().statusCode(403);
    }

    @Test
    void healReEmitsTheMissingInvoicesThroughThePostingPipelineAndTheNextRunFindsNothing() throws Exception {
        String customer = onboardedCustomer();
        String posted = posted(customer, 1, 9900);
        stripe.webhooks().hold();
        String lost1 = (String) stripe.createInvoice(invoice(customer, 2, 1500)).get("id");
        String lost2 = (String) stripe.createInvoice(invoice(customer, 1, 123456)).get("id");

        JsonPath healing = run(true);

        assertThat(healing.getMap("counts")).containsEntry("MISSING_IN_ERP", 2);
        assertThat(healing.getInt("healed")).isEqualTo(2);
        assertThat(healing.getList("discrepancies.healed", Boolean.class)).containsOnly(true);
        await().atMost(Duration.ofSeconds(60)).until(() -> netsuite.invoice(canonical(lost1)).isPresent()
                && netsuite.invoice(canonical(lost2)).isPresent());
        assertThat(netsuite.invoice(canonical(lost2)).orElseThrow().total()).isEqualByComparingTo("1234.56");

        JsonPath after = run(true);

        assertThat(after.getMap("counts").values()).allMatch(count -> ((Integer) count) == 0);
        // the cases the gaps opened are resolved by the run that found them consistent
        for (Object caseId : healing.getList("discrepancies.exceptionCaseId")) {
            assertThat(Sql.first(db, "SELECT status FROM exception_case WHERE id = ?", ((Number) caseId).longValue()))
                    .contains("RESOLVED");
        }
        assertThat(after.getInt("healed")).isZero();
        // no duplicate anywhere: one NetSuite invoice per Stripe invoice, each written once; Stripe unchanged
        List<Transaction> invoices = netsuite.transactions().stream().filter(t -> t.type().equals("invoice")).toList();
        assertThat(invoices).extracting(Transaction::externalId)
                .containsExactlyInAnyOrder(canonical(posted), canonical(lost1), canonical(lost2));
        assertThat(invoices).allMatch(t -> t.writes() == 1);
        assertThat(stripe.invoices()).hasSize(3);
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private JsonPath run(boolean heal) {
        return as("operator").contentType("application/json")
                .body(Map.of("from", windowStart.toString(), "to", Instant.now().plusSeconds(60).toString(),
                        "heal", heal))
                .post(API).then().statusCode(201).extract().jsonPath();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> item(JsonPath report, String kind) {
        List<Map<String, Object>> items = report.getList("discrepancies");
        return items.stream().filter(i -> kind.equals(i.get("kind"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in " + items));
    }

    private double gauge(String kind) {
        return metrics.get("q2c.reconciliation.discrepancies").tag("kind", kind).gauge().value();
    }

    private static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user + "-sandbox");
    }

    /** A customer known to NetSuite and Stripe, linked in the cross-reference as onboarding links it. */
    private String onboardedCustomer() throws Exception {
        String canonical = CanonicalSamples.newId("cust");
        Erp erp = roles.erp();
        String erpId = erp.upsertCustomer(new Customer(canonical, "Customer " + canonical, null, "US01", null,
                Currency.getInstance("USD"), null, null, Customer.Status.ACTIVE, Map.of()), "US01");
        xref.link(erp.system(), "customer", erpId, canonical);
        String stripeId = "cus_" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
        xref.link("stripe", "customer", stripeId, canonical);
        return stripeId;
    }

    /** Issued in Stripe and awaited in NetSuite: the whole pipeline. Returns the Stripe invoice id. */
    private String posted(String customer, int quantity, long unitAmount) throws Exception {
        String id = (String) stripe.createInvoice(invoice(customer, quantity, unitAmount)).get("id");
        await().atMost(Duration.ofSeconds(60)).until(() -> xref.canonicalId("stripe", "invoice", id)
                .flatMap(c -> netsuite.invoice(c)).isPresent());
        return id;
    }

    private String canonical(String stripeInvoiceId) throws Exception {
        Optional<String> linked = xref.canonicalId("stripe", "invoice", stripeInvoiceId);
        return linked.orElseGet(() -> ThreeWayCompare.mintedInvoiceId("stripe", stripeInvoiceId));
    }

    private static String invoice(String customer, int quantity, long unitAmount) {
        return """
                {"customer":"%s","currency":"usd","daysUntilDue":30,
                 "lines":[{"description":"Platform subscription","quantity":%d,"unitAmount":%d,"sku":"PLAT-SUB",
                           "periodStart":%d,"periodEnd":%d}]}"""
                .formatted(customer, quantity, unitAmount, JAN_1_2027, FEB_1_2027);
    }
}
