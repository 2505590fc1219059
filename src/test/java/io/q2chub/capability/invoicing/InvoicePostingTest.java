package io.q2chub.capability.invoicing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.q2chub.canonical.CanonicalJson;
import io.q2chub.canonical.Customer;
import io.q2chub.capability.invoicing.InvoiceEvents.Tax;
import io.q2chub.connector.ConnectorRoles;
import io.q2chub.connector.Erp;
import io.q2chub.ops.xref.CrossReference;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.sandbox.netsuite.Transaction;
import io.q2chub.testing.CanonicalSamples;
import io.q2chub.testing.ErpAndBillingSimulators;
import io.q2chub.testing.HubTestServices;
import io.q2chub.testing.KafkaTestClient;
import io.q2chub.testing.Scrape;
import io.q2chub.canonical.EventTypes;
import io.q2chub.testing.Sql;
import io.q2chub.ops.metrics.BacklogGauges;
import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URL;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Invoice posting on the real broker, database, YAML route and NetSuite simulator: canonical invoice events go on
 * q2c.invoice.v1 as the billing ingress would publish them, and the test asserts what NetSuite then holds.
 */
@QuarkusTest
@QuarkusTestResource(HubTestServices.class)
@WithTestResource(ErpAndBillingSimulators.class)
class InvoicePostingTest {

    private static final String SUPPORT_ITEM = "/api/mappings/netsuite/item/SUPPORT-PREM";

    @ErpAndBillingSimulators.Simulator
    NetSuiteSimulator netsuite;

    @Inject
    ConnectorRoles roles;

    @Inject
    CrossReference xref;

    @Inject
    AgroalDataSource db;

    @Inject
    BacklogGauges backlog;

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @Test
    void aMultiLineUsdInvoiceIsOneNetSuiteInvoiceWithRecurringUsageAndServicesItemsExactToTheCent() throws Exception {
        String customer = onboarded("US01", "USD");
        InvoiceEvents invoice = InvoiceEvents.invoice(customer, "USD")
                .line("PLAT-SUB", "1", 120000, 120000, "2026-01-01", "2026-12-31", new Tax("US-CA", 725, 8700))
                .line("API-CALLS", "12345", 1, 12345, "2026-01-01", "2026-01-31", new Tax("US-CA", 725, 895),
                        new Tax("US-CA-SAN FRANCISCO", 138, 170))
                .line("PRO-SVC", "10", 15000, 150000, "2026-01-05", "2026-01-09");
        publish(invoice, CanonicalSamples.newId("evt"), null);

        Transaction posted = postedInvoice(invoice.id());
        assertThat(posted.subtotal().toPlainString()).isEqualTo("2823.45");
        assertThat(posted.taxTotal().toPlainString()).isEqualTo("97.65");
        assertThat(posted.total().toPlainString()).isEqualTo("2921.10");
        assertThat(posted.subsidiaryId()).isEqualTo("1");
        assertThat(posted.currencyId()).isEqualTo("1");
        assertThat(posted.fields().path("department").path("id").asText()).isEqualTo("10");
        assertThat(posted.fields().path("class").path("id").asText()).isEqualTo("1");
        assertThat(posted.fields().path("location").path("id").asText()).isEqualTo("1");
        assertThat(posted.fields().path("entity").path("id").asText())
                .isEqualTo(netsuite.customer(customer).orElseThrow().internalId());

        List<JsonNode> lines = posted.lines();
        assertThat(lines).extracting(l -> l.path("item").path("id").asText()).containsExactly("501", "502", "503");
        assertThat(lines).extracting(l -> l.path("custcol_q2c_revenue_type").asText())
                .containsExactly("recurring", "usage", "services");
        assertThat(lines).extracting(l -> l.path("custcol_q2c_rev_rec_rule").path("id").asText())
                .containsExactly("1", "2", "3");
        assertThat(lines).extracting(l -> l.path("amount").decimalValue().toPlainString())
                .containsExactly("1200.00", "123.45", "1500.00");
        assertThat(lines).extracting(l -> l.path("rate").decimalValue().toPlainString())
                .containsExactly("1200.00", "0.01", "150.00");
        assertThat(lines.get(0).path("revRecStartDate").asText()).isEqualTo("2026-01-01");
        assertThat(lines.get(0).path("revRecEndDate").asText()).isEqualTo("2026-12-31");
        assertThat(lines.get(0).path("revRecTermInMonths").asInt()).isEqualTo(12);
        assertThat(lines.get(1).has("revRecTermInMonths")).isFalse();
        assertThat(lines.get(2).path("revRecStartDate").asText()).isEqualTo("2026-01-05");
        assertThat(posted.taxDetails()).extracting(t -> t.path("taxCode").path("id").asText() + " "
                + t.path("taxAmount").decimalValue().toPlainString()).containsExactly("11 87.00", "11 8.95", "12 1.70");

        // one customer read and one upsert per invoice; linked, and announced with the ERP key
        assertThat(netsuite.requestsFor(invoice.id())).containsExactly("PUT /invoice/eid:" + invoice.id());
        // (the PUT is the test's own onboarding of the customer)
        assertThat(netsuite.requestsFor(customer)).containsExactly("PUT /customer/eid:" + customer,
                "GET /customer/eid:" + customer);
        assertThat(xref.externalId("netsuite", "invoice", invoice.id())).contains(posted.internalId());
        JsonNode event = postedEvent(invoice.id());
        assertThat(event.path("externalIds").path("erp").asText()).isEqualTo(posted.internalId());
        assertThat(event.path("externalIds").path("billing").asText()).isEqualTo(invoice.id());
        assertThat(event.path("totals").path("total").path("amountMinor").asLong()).isEqualTo(292110);
    }

    @Test
    void yenAndDinarAmountsArriveExactlyWithTheirOwnDecimals() throws Exception {
        String japanese = onboarded("JP01", "JPY");
        InvoiceEvents yen = InvoiceEvents.invoice(japanese, "JPY")
                .line("PLAT-SUB", "3", 1234, 3702, "2026-01-01", "2026-03-31", new Tax("JP", 1000, 370));
        String kuwaiti = onboarded("KW01", "KWD");
        InvoiceEvents dinar = InvoiceEvents.invoice(kuwaiti, "KWD")
                .line("PLAT-SUB", "1", 12345, 12345, "2026-01-01", "2026-01-31", new Tax("KW", 500, 617))
                .line("API-CALLS", "7", 1, 7, "2026-01-01", "2026-01-31");
        publish(yen, CanonicalSamples.newId("evt"), null);
        publish(dinar, CanonicalSamples.newId("evt"), null);

        Transaction inYen = postedInvoice(yen.id());
        assertThat(inYen.currencyId()).isEqualTo("5");
        assertThat(inYen.subsidiaryId()).isEqualTo("3");
        assertThat(inYen.lines().get(0).path("amount").decimalValue().toPlainString()).isEqualTo("3702");
        assertThat(inYen.lines().get(0).path("rate").decimalValue().toPlainString()).isEqualTo("1234");
        assertThat(inYen.lines().get(0).path("revRecTermInMonths").asInt()).isEqualTo(3);
        assertThat(inYen.taxDetails().get(0).path("taxAmount").decimalValue().toPlainString()).isEqualTo("370");
        assertThat(inYen.total().toPlainString()).isEqualTo("4072");
        assertThat(inYen.fields().path("department").path("id").asText()).isEqualTo("30");

        Transaction inDinar = postedInvoice(dinar.id());
        assertThat(inDinar.currencyId()).isEqualTo("6");
        assertThat(inDinar.lines()).extracting(l -> l.path("amount").decimalValue().toPlainString())
                .containsExactly("12.345", "0.007");
        assertThat(inDinar.taxDetails().get(0).path("taxAmount").decimalValue().toPlainString()).isEqualTo("0.617");
        assertThat(inDinar.taxDetails().get(0).path("taxRate").decimalValue()).isEqualByComparingTo("5");
        assertThat(inDinar.total().toPlainString()).isEqualTo("12.969");
        assertThat(postedEvent(dinar.id()).path("totals").path("total").path("amountMinor").asLong()).isEqualTo(12969);
    }

    @Test
    void aCreditNoteIsACreditMemoAppliedToItsInvoiceAndAVoidIsAFullReversal() throws Exception {
        String customer = onboarded("US01", "USD");
        InvoiceEvents invoice = InvoiceEvents.invoice(customer, "USD")
                .line("PLAT-SUB", "1", 100000, 100000, "2026-01-01", "2026-12-31", new Tax("US-NY", 400, 4000));
        publish(invoice, CanonicalSamples.newId("evt"), null);
        Transaction original = postedInvoice(invoice.id());

        InvoiceEvents note = InvoiceEvents.creditNote(customer, "USD", invoice.id())
                .line("PLAT-SUB", "1", 25000, 25000, "2026-07-01", "2026-12-31", new Tax("US-NY", 400, 1000));
        publish(note, CanonicalSamples.newId("evt"), null);
        Transaction memo = await().atMost(Duration.ofSeconds(30)).until(() -> netsuite.creditMemo(note.id()),
                Optional::isPresent).orElseThrow();
        assertThat(memo.total().toPlainString()).isEqualTo("260.00");
        assertThat(memo.applied()).hasSize(1);
        assertThat(memo.applied().get(0).path("doc").path("id").asText()).isEqualTo(original.internalId());
        assertThat(memo.applied().get(0).path("amount").decimalValue().toPlainString()).isEqualTo("260.00");
        assertThat(netsuite.invoice(invoice.id()).orElseThrow().amountRemaining().toPlainString()).isEqualTo("780.00");
        assertThat(postedEvent(note.id()).path("externalIds").path("erp").asText()).isEqualTo(memo.internalId());

        InvoiceEvents voided = InvoiceEvents.voidOf(customer, "USD", invoice.id());
        publish(voided, CanonicalSamples.newId("evt"), null);
        Transaction reversal = await().atMost(Duration.ofSeconds(30)).until(() -> netsuite.creditMemo(voided.id()),
                Optional::isPresent).orElseThrow();
        assertThat(reversal.createdFrom()).isEqualTo(original.internalId());
        assertThat(reversal.total().toPlainString()).isEqualTo("1040.00");
        assertThat(reversal.applied().get(0).path("amount").decimalValue().toPlainString()).isEqualTo("780.00");
        Transaction settled = netsuite.invoice(invoice.id()).orElseThrow();
        assertThat(settled.amountRemaining()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(settled.text("status")).isEqualTo("Paid In Full");
        assertThat(netsuite.requestsFor(voided.id())).containsExactly("GET /creditMemo/eid:" + voided.id());
        assertThat(netsuite.requestsFor("/!transform/creditMemo")).contains(
                "POST /invoice/" + original.internalId() + "/!transform/creditMemo");
        assertThat(xref.externalId("netsuite", "invoice-reversal", voided.id())).contains(reversal.internalId());
        assertThat(postedEvent(voided.id()).path("kind").asText()).isEqualTo("VOID");
    }

    @Test
    void theSameInvoiceEventDeliveredFiveTimesOnDifferentPartitionsPostsOnce() throws Exception {
        String customer = onboarded("DE01", "EUR");
        InvoiceEvents invoice = InvoiceEvents.invoice(customer, "EUR")
                .line("PLAT-SUB", "2", 4950, 9900, "2026-01-01", "2026-01-31", new Tax("DE", 1900, 1881));
        String eventId = CanonicalSamples.newId("evt");
        for (int delivery = 0; delivery < 5; delivery++) {
            publish(invoice, eventId, delivery % 3);
        }
        Transaction posted = postedInvoice(invoice.id());
        // a later event on the topic proves the five deliveries were consumed before the count is read
        InvoiceEvents marker = InvoiceEvents.invoice(customer, "EUR")
                .line("PRO-SVC", "1", 100, 100, "2026-01-01", "2026-01-01");
        for (int partition = 0; partition < 3; partition++) {
            publish(marker, CanonicalSamples.newId("evt") + "-" + partition, partition);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> netsuite.invoice(marker.id())
                .map(t -> t.writes() == 3).orElse(false));

        assertThat(netsuite.invoice(invoice.id()).orElseThrow().writes()).isEqualTo(1);
        assertThat(netsuite.requestsFor(invoice.id())).hasSize(1);
        assertThat(netsuite.transactions()).filteredOn(t -> invoice.id().equals(t.externalId())).hasSize(1);
        assertThat(posted.total().toPlainString()).isEqualTo("117.81");
        assertThat(postedEvents(invoice.id())).hasSize(1);
    }

    @Test
    void aMissingItemMappingIsOneCaseNamingTheSkuAndPostsOnceAfterTheMappingIsAddedAndTheCaseReplayed()
            throws Exception {
        as("operator").delete(SUPPORT_ITEM);
        String customer = onboarded("US01", "USD");
        InvoiceEvents invoice = InvoiceEvents.invoice(customer, "USD")
                .line("PLAT-SUB", "1", 50000, 50000, "2026-01-01", "2026-01-31")
                .line("SUPPORT-PREM", "1", 9900, 9900, "2026-01-01", "2026-01-31", new Tax("US-CA", 725, 718));
        publish(invoice, CanonicalSamples.newId("evt"), null);

        await().atMost(Duration.ofSeconds(30)).until(() -> "OPEN".equals(caseColumn("status", invoice.id())));
        assertThat(caseColumn("error_code", invoice.id())).isEqualTo("NETSUITE_UNMAPPED_ITEM");
        assertThat(caseColumn("error_message", invoice.id())).contains("SUPPORT-PREM", "PUT /api/mappings/netsuite/item/SUPPORT-PREM");
        assertThat(netsuite.invoice(invoice.id())).isEmpty();
        long caseId = Long.parseLong(caseColumn("id", invoice.id()));

        as("operator").contentType("application/json").body("{\"target\":\"504\"}").put(SUPPORT_ITEM)
                .then().statusCode(200);
        as("operator").contentType("application/json").body("{}").post("/api/exception-cases/" + caseId + "/replay")
                .then().statusCode(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> "RESOLVED".equals(caseColumn("status", invoice.id())));
        Transaction posted = postedInvoice(invoice.id());
        assertThat(posted.writes()).isEqualTo(1);
        assertThat(posted.lines()).extracting(l -> l.path("item").path("id").asText()).containsExactly("501", "504");
        assertThat(posted.total().toPlainString()).isEqualTo("606.18");
        // One posting case. (The status write-back that follows parks its own: this test's billing ids exist in no
        // billing platform, so the ERP id cannot be recorded there.)
        assertThat(Sql.count(db, "SELECT count(*) FROM exception_case WHERE capability = 'invoice-posting' AND business_key = ?",
                invoice.id())).isEqualTo(1);
        assertThat(postedEvents(invoice.id())).hasSize(1);
    }

    @Test
    void aCurrencyTheSubsidiaryDoesNotAllowIsABusinessCaseWithNetSuitesMessage() throws Exception {
        String customer = onboarded("US01", "USD");
        InvoiceEvents invoice = InvoiceEvents.invoice(customer, "JPY")
                .line("PLAT-SUB", "1", 5000, 5000, "2026-01-01", "2026-01-31");
        publish(invoice, CanonicalSamples.newId("evt"), null);

        await().atMost(Duration.ofSeconds(30)).until(() -> "OPEN".equals(caseColumn("status", invoice.id())));
        assertThat(caseColumn("failure_class", invoice.id())).isEqualTo("BUSINESS");
        assertThat(caseColumn("error_code", invoice.id())).isEqualTo("USER_ERROR");
        assertThat(caseColumn("error_message", invoice.id()))
                .contains("Invalid Field Value 5 for the following field: currency");
        assertThat(netsuite.invoice(invoice.id())).isEmpty();
    }

    @Test
    void anInvoiceOfACustomerTheErpDoesNotKnowIsParkedNamingTheCustomer() {
        String stranger = CanonicalSamples.newId("cust");
        InvoiceEvents invoice = InvoiceEvents.invoice(stranger, "USD")
                .line("PLAT-SUB", "1", 5000, 5000, "2026-01-01", "2026-01-31");
        publish(invoice, CanonicalSamples.newId("evt"), null);

        await().atMost(Duration.ofSeconds(30)).until(() -> "OPEN".equals(caseColumn("status", invoice.id())));
        assertThat(caseColumn("error_code", invoice.id())).isEqualTo("ERP_CUSTOMER_UNKNOWN");
        assertThat(caseColumn("error_message", invoice.id())).contains(stranger);
        assertThat(netsuite.requestsFor(invoice.id())).isEmpty();
    }

    @Test
    void postingOutcomesConnectorCallsAndOpenCasesMoveOnTheMetricsEndpoint() throws Exception {
        Scrape before = Scrape.of(metrics);
        String customer = onboarded("US01", "USD");
        InvoiceEvents good = InvoiceEvents.invoice(customer, "USD")
                .line("PLAT-SUB", "1", 7000, 7000, "2026-01-01", "2026-01-31");
        publish(good, CanonicalSamples.newId("evt"), null);
        postedInvoice(good.id());
        InvoiceEvents stranger = InvoiceEvents.invoice(CanonicalSamples.newId("cust"), "USD")
                .line("PLAT-SUB", "1", 5000, 5000, "2026-01-01", "2026-01-31");
        publish(stranger, CanonicalSamples.newId("evt"), null);
        await().atMost(Duration.ofSeconds(30)).until(() -> "OPEN".equals(caseColumn("status", stranger.id())));
        backlog.refresh();

        Scrape after = Scrape.of(metrics);
        String posted = "outcome=\"posted\"";
        String parked = "outcome=\"parked\"";
        assertThat(after.value("q2c_invoice_postings_total", posted))
                .isGreaterThanOrEqualTo(before.value("q2c_invoice_postings_total", posted) + 1);
        assertThat(after.value("q2c_invoice_postings_total", parked))
                .isGreaterThanOrEqualTo(before.value("q2c_invoice_postings_total", parked) + 1);
        // the onboarding upsert, the customer read and the invoice upsert all went through NetSuite's guard
        String netsuiteOk = "system=\"netsuite\"";
        assertThat(after.value("q2c_connector_call_seconds_count", netsuiteOk, "outcome=\"success\""))
                .isGreaterThanOrEqualTo(before.value("q2c_connector_call_seconds_count", netsuiteOk,
                        "outcome=\"success\"") + 3);
        String openInvoiceCases = "capability=\"invoice-posting\"";
        assertThat(after.value("q2c_exceptions_open", openInvoiceCases, "class=\"BUSINESS\"", "age=\"lt_1h\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(after.value("q2c_exceptions_oldest_open_age_seconds", openInvoiceCases)).isPositive();

        as("operator").contentType("application/json").body("{\"reason\":\"metrics test\"}")
                .post("/api/exception-cases/" + caseColumn("id", stranger.id()) + "/discard").then().statusCode(200);
        backlog.refresh();
        assertThat(Scrape.of(metrics).value("q2c_exceptions_open", openInvoiceCases, "class=\"BUSINESS\"",
                "age=\"lt_1h\"")).isEqualTo(after.value("q2c_exceptions_open", openInvoiceCases,
                "class=\"BUSINESS\"", "age=\"lt_1h\"") - 1);
    }

    @Test
    void documentsAndPaymentsBillingHoldsAndTheErpNotYetAreCountedUntilTheErpHoldsThem() throws Exception {
        String billing = roles.billing().system();
        String erp = roles.erp().system();
        backlog.refresh();
        assertThat(Scrape.of(metrics).serves("q2c_invoices_awaiting_erp_posting")).isTrue();
        double awaiting = Scrape.of(metrics).value("q2c_invoices_awaiting_erp_posting");
        double unapplied = Scrape.of(metrics).value("q2c_payments_not_in_erp");

        // As the billing ingress leaves an issued invoice and a recorded payment: linked and (invoice) staged.
        String invoiceId = CanonicalSamples.newId("inv");
        String stripeInvoice = CanonicalSamples.newId("in_");
        xref.link(billing, "invoice", stripeInvoice, invoiceId);
        Sql.update(db, "INSERT INTO billing_document_progress (system, document_id, stage, event_id) VALUES (?, ?, 1, ?)",
                billing, stripeInvoice, "evt-" + stripeInvoice);
        String paymentId = CanonicalSamples.newId("pay");
        xref.link(billing, "payment", CanonicalSamples.newId("pi_"), paymentId);
        backlog.refresh();
        Scrape pending = Scrape.of(metrics);
        assertThat(pending.value("q2c_invoices_awaiting_erp_posting")).isEqualTo(awaiting + 1);
        assertThat(pending.value("q2c_payments_not_in_erp")).isEqualTo(unapplied + 1);

        // As invoice posting and payment application leave them once the ERP holds them.
        xref.link(erp, "invoice", CanonicalSamples.newId("ns-inv"), invoiceId);
        xref.link(erp, "payment", CanonicalSamples.newId("ns-pay"), paymentId);
        backlog.refresh();
        Scrape done = Scrape.of(metrics);
        assertThat(done.value("q2c_invoices_awaiting_erp_posting")).isEqualTo(awaiting);
        assertThat(done.value("q2c_payments_not_in_erp")).isEqualTo(unapplied);
    }

    @Test
    void aChainWithItsSubscriptionActivatedAndNoInvoicePostedIsCountedUntilOneIsPosted() throws Exception {
        backlog.refresh();
        double unbilled = Scrape.of(metrics).value("q2c_subscriptions_without_financial_record");
        // As the ledger records them: a chain whose subscription is activated, one already posted beside it.
        String chain = CanonicalSamples.newId("ctr");
        String billed = CanonicalSamples.newId("ctr");
        milestone(chain, EventTypes.SUBSCRIPTION_ACTIVATED);
        milestone(billed, EventTypes.SUBSCRIPTION_ACTIVATED);
        milestone(billed, EventTypes.INVOICE_POSTED);
        backlog.refresh();
        assertThat(Scrape.of(metrics).value("q2c_subscriptions_without_financial_record")).isEqualTo(unbilled + 1);

        milestone(chain, EventTypes.INVOICE_POSTED);
        backlog.refresh();
        assertThat(Scrape.of(metrics).value("q2c_subscriptions_without_financial_record")).isEqualTo(unbilled);
    }

    private void milestone(String chain, String type) throws Exception {
        Sql.update(db, "INSERT INTO ledger_milestone (transaction_key, milestone, business_key, event_id, source,"
                + " occurred_at) VALUES (?, ?, ?, ?, 'test', now())", chain, type, chain, CanonicalSamples.newId("evt"));
    }

    // --- helpers --------------------------------------------------------------------------------------------

    /** A customer the ERP holds and the cross-reference links, as customer onboarding leaves it. */
    private String onboarded(String legalEntity, String currency) throws Exception {
        String id = CanonicalSamples.newId("cust");
        Erp erp = roles.erp();
        String erpId = erp.upsertCustomer(new Customer(id, "Customer " + id, null, legalEntity, null,
                Currency.getInstance(currency), null, null, Customer.Status.ACTIVE, Map.of()), legalEntity);
        xref.link(erp.system(), "customer", erpId, id);
        return id;
    }

    private static void publish(InvoiceEvents invoice, String eventId, Integer partition) {
        KafkaTestClient.send(InvoiceEvents.TOPIC, partition, invoice.id(), invoice.json(), invoice.headers(eventId));
    }

    private Transaction postedInvoice(String id) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> netsuite.invoice(id), Optional::isPresent)
                .orElseThrow();
    }

    private static JsonNode postedEvent(String id) throws Exception {
        List<ConsumerRecord<String, byte[]>> events = await().atMost(Duration.ofSeconds(30))
                .until(() -> postedEvents(id), list -> !list.isEmpty());
        return CanonicalJson.mapper().readTree(events.get(0).value());
    }

    private static List<ConsumerRecord<String, byte[]>> postedEvents(String id) {
        return KafkaTestClient.readAll(InvoiceEvents.TOPIC).stream()
                .filter(r -> "q2c.invoice.posted.v1".equals(KafkaTestClient.header(r, "ce_type")))
                .filter(r -> id.equals(KafkaTestClient.header(r, "ce_subject"))).toList();
    }

    private String caseColumn(String column, String invoiceId) {
        return Sql.first(db, "SELECT " + column + " FROM exception_case WHERE capability = 'invoice-posting'"
                + " AND business_key = ? ORDER BY id DESC LIMIT 1", invoiceId).orElse(null);
    }

    private static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user + "-sandbox");
    }
}
