package io.q2chub.ops.console;

import static io.q2chub.testing.CanonicalSamples.customerChangedHeaders;
import static io.q2chub.testing.CanonicalSamples.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.q2chub.testing.CrmCustomerEvents;
import io.q2chub.testing.ErpAndBillingSimulators;
import io.q2chub.testing.HubTestServices;
import io.q2chub.testing.KafkaTestClient;
import io.q2chub.testing.Sql;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operations console in a real headless Chromium against the running hub: a customer whose legal entity is not
 * configured is parked by the real onboarding route; an operator finds it in the inbox, opens it, corrects the payload,
 * replays it and sees it resolved (and the customer in the NetSuite simulator), then traces it on the Transaction page
 * by its NetSuite id; a viewer is not allowed to replay.
 */
@QuarkusTest
@QuarkusTestResource(HubTestServices.class)
@WithTestResource(ErpAndBillingSimulators.class)
class OperationsConsoleBrowserTest {

    static final String CAPABILITY = "customer-onboarding";

    static HeadlessChromium browser;

    @TestHTTPResource("/console/")
    URL console;

    @ErpAndBillingSimulators.Simulator
    NetSuiteSimulator netsuite;

    @Inject
    AgroalDataSource db;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = HeadlessChromium.startOrSkip();
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void operatorFiltersTheInboxOpensTheCaseReplaysTheCorrectedPayloadAndSeesItResolved() throws Exception {
        String customerId = newId("cust");
        long caseId = parkCustomerWithUnknownLegalEntity(customerId, "Vandelay Industries", "XX01");
        // Other work in the inbox, so that filtering has something to leave out.
        parkCustomerWithUnknownLegalEntity(newId("cust"), "Pendant Publishing", "ZZ09");
        parkSchemaInvalidCustomer();

        signIn("operator");
        waitFor().until(ExpectedConditions.presenceOfElementLocated(testId("case-row-" + caseId)));
        browser.screenshot("console-inbox.png");
        new Select(byTestId("filter-class")).selectByValue("BUSINESS");
        type("filter-capability", CAPABILITY);
        click("filter-apply");
        // Until the filtered list replaces the unfiltered one: then every row is an onboarding business case.
        waitFor().ignoring(StaleElementReferenceException.class).until(driver -> {
            List<String> rows = driver.findElements(By.cssSelector("[data-testid='case-rows'] tr")).stream().map(WebElement::getText).toList();
            return !rows.isEmpty() && rows.stream().allMatch(row -> row.contains("BUSINESS") && row.contains(CAPABILITY));
        });
        assertThat(browser.driver.findElements(testId("case-row-" + caseId))).hasSize(1);

        // Narrowed to this customer, the inbox holds exactly its case.
        type("filter-text", customerId);
        click("filter-apply");
        waitFor().until(ExpectedConditions.textToBe(testId("inbox-total"), "1"));
        assertThat(byTestId("row-status-" + caseId).getText()).isEqualTo("OPEN");

        click("open-case-" + caseId);
        waitFor().until(ExpectedConditions.textToBe(testId("case-id"), "#" + caseId));
        assertThat(browser.driver.getCurrentUrl()).endsWith("/console/#/cases/" + caseId);
        waitFor().until(ExpectedConditions.textToBe(testId("case-status"), "OPEN"));
        assertThat(byTestId("case-error-code").getText()).isEqualTo("MASTER_DATA_INVALID");
        assertThat(byTestId("case-error-message").getText()).contains("XX01");

        // The operator corrects the legal entity in the parked payload and replays the corrected record.
        click("action-edit");
        WebElement editor = byTestId("edit-payload");
        String corrected = editor.getDomProperty("value").replace("\"XX01\"", "\"US01\"");
        editor.clear();
        editor.sendKeys(corrected);
        click("action-replay-edited");

        waitFor().until(ExpectedConditions.textToBe(testId("case-status"), "RESOLVED"));
        assertThat(Sql.first(db, "SELECT status FROM exception_case WHERE id = ?", caseId)).contains("RESOLVED");
        assertThat(netsuite.customer(customerId)).get().extracting(r -> r.writes()).isEqualTo(1);
        assertThat(byTestId("case-history").getText()).contains("EDITED", "REPLAYED", "RESOLVED");
        assertThat(byTestId("diff-card").isDisplayed()).isTrue();
        List<String> changed = browser.driver.findElements(By.cssSelector("[data-testid='payload-diff'] .add, [data-testid='payload-diff'] .del"))
                .stream().map(WebElement::getText).toList();
        assertThat(changed).containsExactly("-   \"legalEntity\": \"XX01\",", "+   \"legalEntity\": \"US01\",");
        browser.screenshot("console-case.png");

        // The record is now held by the ERP and the billing platform, as the sync-status view shows.
        click("case-business-key");
        waitFor().until(ExpectedConditions.presenceOfElementLocated(testId("sync-system-netsuite")));
        assertThat(byTestId("sync-canonical-id").getText()).isEqualTo(customerId);
        assertThat(byTestId("sync-system-netsuite").getText()).contains(netsuite.customer(customerId).orElseThrow().internalId());
        assertThat(byTestId("sync-verdict").getText()).isEqualTo("No open exception cases for this record");
        browser.screenshot("console-sync.png");

        // The Transaction page traces the same record from the id NetSuite gave it: the milestones of its
        // onboarding, with their times, and the id each system holds.
        String erpId = netsuite.customer(customerId).orElseThrow().internalId();
        click("nav-transaction");
        type("transaction-id", erpId);
        click("transaction-search");
        waitFor().until(ExpectedConditions.presenceOfElementLocated(testId("transaction-id-netsuite")));
        assertThat(browser.driver.getCurrentUrl()).endsWith("/console/#/transaction/" + erpId);
        assertThat(byTestId("transaction-ids").getText()).contains(erpId, customerId);
        List<String> stages = browser.driver.findElements(testId("transaction-stage")).stream().map(WebElement::getText).toList();
        assertThat(stages).contains("customer");
        assertThat(byTestId("transaction-verdict").getText()).isEqualTo("Not paid and applied yet");
        browser.screenshot("console-transaction.png");
    }

    @Test
    void viewerOpensTheCaseFromItsLinkButCannotReplayIt() throws Exception {
        String customerId = newId("cust");
        long caseId = parkCustomerWithUnknownLegalEntity(customerId, "Kramerica", "XX02");

        signIn("viewer");
        // The form of link the notifications send.
        browser.driver.get(console + "#/cases/" + caseId);
        waitFor().until(ExpectedConditions.textToBe(testId("case-status"), "OPEN"));
        assertThat(byTestId("whoami-role").getText()).isEqualTo("viewer");
        assertThat(byTestId("viewer-note").isDisplayed()).isTrue();
        assertThat(byTestId("action-replay").isEnabled()).isFalse();
        assertThat(byTestId("action-discard").isEnabled()).isFalse();

        // Even with the button forced on, the hub refuses and the console says why.
        browser.driver.executeScript("arguments[0].disabled = false;", byTestId("action-replay"));
        click("action-replay");
        waitFor().until(ExpectedConditions.textToBePresentInElementLocated(testId("case-message"), "403"));
        assertThat(byTestId("case-message").getText()).contains("operator role");
        assertThat(Sql.first(db, "SELECT status FROM exception_case WHERE id = ?", caseId)).contains("OPEN");
        assertThat(Sql.count(db, "SELECT count(*) FROM exception_case_history WHERE case_id = ? AND action <> 'PARKED'", caseId)).isZero();
    }

    @Test
    void wrongPasswordStaysOnTheSignInForm() {
        browser.driver.get(console.toString());
        browser.driver.executeScript("sessionStorage.clear();");
        browser.driver.navigate().refresh();
        type("signin-username", "operator");
        type("signin-password", "not-the-password");
        click("signin-submit");
        waitFor().until(ExpectedConditions.textToBe(testId("signin-error"), "Wrong username or password."));
        assertThat(byTestId("view-inbox").isDisplayed()).isFalse();
    }

    /** A CRM account whose legal entity is not configured: the onboarding route parks it as a business case. */
    private long parkCustomerWithUnknownLegalEntity(String customerId, String name, String legalEntity) {
        Map<String, Object> account = CrmCustomerEvents.validUsAccount(customerId, name);
        account.put("legalEntity", legalEntity);
        CrmCustomerEvents.sendCreate(newId("evt"), account);
        return Long.parseLong(await().atMost(Duration.ofSeconds(30)).until(() -> Sql.first(db,
                "SELECT id FROM exception_case WHERE business_key = ? AND capability = '" + CAPABILITY + "' AND status = 'OPEN'",
                customerId), Optional::isPresent).orElseThrow());
    }

    /** A customer change whose billing country violates the schema: the ledger and onboarding park it as poison. */
    private void parkSchemaInvalidCustomer() {
        String customerId = newId("cust");
        String eventId = newId("evt");
        byte[] badCountry = """
                {"id":"%s","name":"Kel Varnsen Imports","legalEntity":"US01","billingCountry":"usa","currency":"USD","status":"ACTIVE"}"""
                .formatted(customerId).getBytes(StandardCharsets.UTF_8);
        KafkaTestClient.send(CrmCustomerEvents.TOPIC, null, customerId, badCountry, customerChangedHeaders(eventId, customerId));
        await().atMost(Duration.ofSeconds(30)).until(() -> Sql.count(db,
                "SELECT count(*) FROM exception_case WHERE event_id = ? AND failure_class = 'POISON'", eventId) == 2);
    }

    private void signIn(String user) {
        browser.driver.get(console.toString());
        browser.driver.executeScript("sessionStorage.clear();");
        browser.driver.navigate().refresh();
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(testId("signin-username")));
        type("signin-username", user);
        type("signin-password", user + "-sandbox");
        click("signin-submit");
        waitFor().until(ExpectedConditions.textToBe(testId("whoami-name"), user));
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(testId("view-inbox")));
    }

    private static WebDriverWait waitFor() {
        return new WebDriverWait(browser.driver, Duration.ofSeconds(30));
    }

    private static By testId(String id) {
        return By.cssSelector("[data-testid='" + id + "']");
    }

    private static WebElement byTestId(String id) {
        return waitFor().until(ExpectedConditions.presenceOfElementLocated(testId(id)));
    }

    private static void click(String id) {
        waitFor().until(ExpectedConditions.elementToBeClickable(testId(id))).click();
    }

    private static void type(String id, String text) {
        WebElement field = waitFor().until(ExpectedConditions.visibilityOfElementLocated(testId(id)));
        field.clear();
        field.sendKeys(text);
    }
}
