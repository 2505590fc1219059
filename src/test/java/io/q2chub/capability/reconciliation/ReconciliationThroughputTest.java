package io.q2chub.capability.reconciliation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.q2chub.canonical.Customer;
import io.q2chub.canonical.Payment;
import io.q2chub.connector.ConnectorRoles;
import io.q2chub.connector.Erp;
import io.q2chub.ops.xref.CrossReference;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.sandbox.stripe.StripeSimulator;
import io.q2chub.testing.CanonicalSamples;
import io.q2chub.testing.ErpAndBillingSimulators;
import io.q2chub.testing.HubTestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The figure of issue 6: how fast a reconciliation compares a window of 10,000 invoices (set another size with
 * -Dq2c.bench.invoices=N). The invoices are seeded directly in the Stripe and NetSuite simulators and the
 * cross-reference, not through the pipeline; the run itself is the real one (REST → direct:reconcile → Stripe
 * list API, NetSuite SuiteQL, PostgreSQL). Prints invoices/s; asserts only that the clean dataset is clean.
 *
 * <pre>./mvnw -o test -Dtest=ReconciliationThroughputTest -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@QuarkusTest
@QuarkusTestResource(HubTestServices.class)
// Simulators of its own: it resets them and fills them with 10,000 invoices.
@QuarkusTestResource(value = ErpAndBillingSimulators.class, restrictToAnnotatedClass = true)
class ReconciliationThroughputTest {

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

    @Test
    void reconcilesTenThousandInvoicesAndPrintsInvoicesPerSecond() throws Exception {
        int size = Integer.getInteger("q2c.bench.invoices", 10_000);
        // Each invoice paid in full in both systems, so the run compares payments too (compare-payments=true).
        boolean withPayments = !Boolean.getBoolean("q2c.bench.invoices-only");
        int payments = withPayments ? size : 0;
        stripe.reset();
        netsuite.reset();
        stripe.webhooks().hold(); // seeded, not delivered: the pipeline is not what is measured
        Instant from = Instant.now().minusSeconds(60);
        String canonicalCustomer = CanonicalSamples.newId("cust");
        Erp erp = roles.erp();
        String erpCustomer = erp.upsertCustomer(new Customer(canonicalCustomer, "Bench " + canonicalCustomer, null,
                "US01", null, Currency.getInstance("USD"), null, null, Customer.Status.ACTIVE, Map.of()), "US01");
        xref.link(erp.system(), "customer", erpCustomer, canonicalCustomer);
        String stripeCustomer = "cus_" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
        xref.link("stripe", "customer", stripeCustomer, canonicalCustomer);

        long seeding = System.nanoTime();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO xref (system, object_type, external_id, canonical_id) VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < size; i++) {
                long unitAmount = 1000 + i;
                String stripeId = (String) stripe.createInvoice("""
                        {"customer":"%s","currency":"usd","lines":[{"description":"Seat","quantity":1,
                         "unitAmount":%d,"sku":"PLAT-SUB"}]}""".formatted(stripeCustomer, unitAmount)).get("id");
                String canonical = "inv-bench-" + UUID.randomUUID();
                String erpId = netsuite.seedInvoice(canonical, canonicalCustomer, today,
                        BigDecimal.valueOf(unitAmount, 2)).internalId();
                if (withPayments) {
                    // paid in Stripe (webhooks held) and applied in NetSuite under the id the ingress would mint
                    netsuite.seedPayment(PaymentCompare.mintedId("stripe", Payment.Kind.PAYMENT,
                            paymentIntentOf(stripe.payInvoice(stripeId, null))), canonical, today);
                }
                link(ps, "stripe", stripeId, canonical);
                link(ps, erp.system(), erpId, canonical);
                if (i % 1000 == 999) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
        System.out.printf("%nseeded %d invoices and %d payments in Stripe, NetSuite and the cross-reference in %d ms%n",
                size, payments, (System.nanoTime() - seeding) / 1_000_000);

        long started = System.nanoTime();
        JsonPath report = given().auth().preemptive().basic("operator", "operator-sandbox")
                .contentType("application/json")
                .body(Map.of("from", from.toString(), "to", Instant.now().plusSeconds(60).toString()))
                .post("/api/reconciliations").then().statusCode(201).extract().jsonPath();
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(report.getInt("billingDocuments")).isEqualTo(size + payments);
        assertThat(report.getInt("erpDocuments")).isEqualTo(size + payments);
        assertThat(report.getList("discrepancies")).isEmpty();
        System.out.printf("Reconciliation of %d invoices and %d payments (3-way, clean): %.2f s, %.0f invoices/s,"
                + " %.0f documents/s (Stripe list pages of 100, refunds included: %d, NetSuite SuiteQL pages of 1000: %d)%n%n", size,
                payments, seconds, size / seconds, (size + payments) / seconds,
                (size + 99) / 100 + Math.max(1, (payments + 99) / 100) + 1,
                (size + 999) / 1000 + Math.max(1, (payments + 999) / 1000));
    }

    @SuppressWarnings("unchecked")
    private static String paymentIntentOf(Map<String, Object> paidInvoice) {
        Map<String, Object> payments = (Map<String, Object>) paidInvoice.get("payments");
        Map<String, Object> payment = ((java.util.List<Map<String, Object>>) payments.get("data")).get(0);
        return (String) ((Map<String, Object>) payment.get("payment")).get("payment_intent");
    }

    private static void link(PreparedStatement ps, String system, String externalId, String canonical)
            throws Exception {
        ps.setString(1, system);
        ps.setString(2, "invoice");
        ps.setString(3, externalId);
        ps.setString(4, canonical);
        ps.addBatch();
    }
}
