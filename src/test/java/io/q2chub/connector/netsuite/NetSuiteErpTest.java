package io.q2chub.connector.netsuite;

import static io.q2chub.connector.netsuite.SandboxAccount.customer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.q2chub.connector.Erp.ErpCustomer;
import io.q2chub.ops.failure.BusinessFailure;
import io.q2chub.ops.failure.IntegrationFailure;
import io.q2chub.ops.failure.SecurityFailure;
import io.q2chub.ops.mappings.MappingLookup;
import io.q2chub.sandbox.netsuite.CustomerRecord;
import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The connector against the simulated account over HTTP, asserting on what the account holds. */
class NetSuiteErpTest {

    private static NetSuiteSimulator simulator;
    private static NetSuiteErp erp;

    @BeforeAll
    static void start() {
        simulator = NetSuiteSimulator.start(SandboxAccount.ACCOUNT);
        erp = new NetSuiteErp(SandboxAccount.settings(simulator));
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @BeforeEach
    void clean() {
        simulator.reset();
    }

    @Test
    void upsertCreatesOnceAndUpdatesTheSameRecordOnRepeat() {
        String first = erp.upsertCustomer(customer("c-1", "Acme GmbH", "DE01", "EUR"), "DE01");
        String second = erp.upsertCustomer(customer("c-1", "Acme GmbH", "DE01", "EUR"), "DE01");

        assertThat(second).isEqualTo(first);
        assertThat(simulator.customers()).singleElement().satisfies(record -> {
            assertThat(record.internalId()).isEqualTo(first);
            assertThat(record.externalId()).isEqualTo("c-1");
            assertThat(record.writes()).isEqualTo(2);
            assertThat(record.subsidiaryId()).isEqualTo("2");
            assertThat(record.currencyId()).isEqualTo("4");
        });
        // the id came from the Location header: one request per upsert, no read-back
        assertThat(simulator.counts().requests()).isEqualTo(2);
    }

    @Test
    void updateChangesTheFields() {
        erp.upsertCustomer(customer("c-2", "Globex Ltd", "GB01", "GBP"), "GB01");

        erp.upsertCustomer(customer("c-2", "Globex UK Ltd", "GB01", "EUR"), "GB01");

        CustomerRecord record = simulator.customer("c-2").orElseThrow();
        assertThat(record.companyName()).isEqualTo("Globex UK Ltd");
        assertThat(record.currencyId()).isEqualTo("4");
        assertThat(record.email()).isEqualTo("ap@c-2.example");
    }

    @Test
    void findReturnsTheErpViewAndEmptyForAnUnknownCustomer() {
        String internalId = erp.upsertCustomer(customer("c-3", "Initech KK", "JP01", "JPY"), "JP01");

        assertThat(erp.findCustomer("c-3")).contains(
                new ErpCustomer(internalId, "c-3", "Initech KK", "JP01", false, "321"));
        assertThat(erp.findCustomer("nobody")).isEmpty();
    }

    @Test
    void deactivateMarksInactiveAndNeverDeletes() {
        erp.upsertCustomer(customer("c-4", "Umbrella WLL", "KW01", "KWD"), "KW01");

        erp.deactivateCustomer("c-4");

        CustomerRecord record = simulator.customer("c-4").orElseThrow();
        assertThat(record.inactive()).isTrue();
        assertThat(record.companyName()).isEqualTo("Umbrella WLL");
        assertThat(erp.findCustomer("c-4")).hasValueSatisfying(found -> assertThat(found.inactive()).isTrue());
    }

    @Test
    void deactivatingACustomerNetSuiteDoesNotHaveIsABusinessFailure() {
        assertThatThrownBy(() -> erp.deactivateCustomer("nobody"))
                .isInstanceOf(BusinessFailure.class)
                .extracting(e -> ((IntegrationFailure) e).errorCode()).isEqualTo("NONEXISTENT_ID");
        assertThat(simulator.customers()).isEmpty();
    }

    @Test
    void unknownSubsidiaryIsABusinessFailureNamingTheField() {
        assertThatThrownBy(() -> erp.upsertCustomer(customer("c-5", "Hooli", "ZZ01", "USD"), "ZZ01"))
                .isInstanceOfSatisfying(BusinessFailure.class, failure -> {
                    assertThat(failure.system()).isEqualTo("netsuite");
                    assertThat(failure.errorCode()).isEqualTo("USER_ERROR");
                    assertThat(failure.getMessage()).contains("400", "Invalid Field Value 99", "field: subsidiary");
                });
        assertThat(simulator.customers()).isEmpty();
    }

    @Test
    void currencyTheSubsidiaryDoesNotAllowIsABusinessFailureNamingTheField() {
        assertThatThrownBy(() -> erp.upsertCustomer(customer("c-6", "Acme GmbH", "DE01", "JPY"), "DE01"))
                .isInstanceOfSatisfying(BusinessFailure.class, failure -> {
                    assertThat(failure.errorCode()).isEqualTo("USER_ERROR");
                    assertThat(failure.getMessage()).contains("field: currency");
                });
        assertThat(simulator.customers()).isEmpty();
    }

    @Test
    void unmappedLegalEntityFailsBeforeAnyRequest() {
        assertThatThrownBy(() -> erp.upsertCustomer(customer("c-7", "Acme", "FR01", "EUR"), "FR01"))
                .isInstanceOfSatisfying(BusinessFailure.class, failure -> {
                    assertThat(failure.errorCode()).isEqualTo("NETSUITE_UNMAPPED_SUBSIDIARY");
                    assertThat(failure.getMessage()).contains("FR01", "q2c.netsuite.subsidiaries");
                });
        assertThat(simulator.counts().requests()).isZero();
    }

    @Test
    void refusedTokenIsASecurityFailureThatNamesNoSecret() {
        NetSuiteSettings wrong = SandboxAccount.settings(simulator, 5, Duration.ofSeconds(5), "wrong-token-secret");
        NetSuiteErp refused = new NetSuiteErp(wrong);

        assertThatThrownBy(() -> refused.upsertCustomer(customer("c-8", "Acme", "US01", "USD"), "US01"))
                .isInstanceOfSatisfying(SecurityFailure.class, failure -> {
                    assertThat(failure.errorCode()).isEqualTo("INVALID_LOGIN");
                    assertThat(failure.getMessage()).contains("401")
                            .doesNotContain("wrong-token-secret", SandboxAccount.ACCOUNT.consumerSecret(),
                                    "oauth_signature");
                });
        assertThat(simulator.counts().unauthorized()).isEqualTo(1);
        assertThat(simulator.customers()).isEmpty();
        assertThat(wrong.toString()).doesNotContain("wrong-token-secret", SandboxAccount.ACCOUNT.consumerSecret());
    }

    @Test
    void withoutConfigurationTheBeanIsCreatedAndFailsOnlyWhenUsed() {
        NetSuiteConfig empty = new SmallRyeConfigBuilder().withMapping(NetSuiteConfig.class).build()
                .getConfigMapping(NetSuiteConfig.class);

        NetSuiteErp unconfigured = new NetSuiteErp(empty, MappingLookup.fixed(Map.of()));

        assertThat(empty.maxConcurrency()).isEqualTo(5);
        assertThat(empty.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> unconfigured.findCustomer("c-1"))
                .isInstanceOfSatisfying(BusinessFailure.class, failure -> {
                    assertThat(failure.errorCode()).isEqualTo("NETSUITE_NOT_CONFIGURED");
                    assertThat(failure.getMessage()).contains("q2c.netsuite.base-url", "q2c.netsuite.token-secret");
                });
    }
}
