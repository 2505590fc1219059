package io.q2chub.connector.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.q2chub.sandbox.salesforce.SalesforceSimulator;
import io.q2chub.testing.HubTestServices;
import io.q2chub.testing.KafkaTestClient;
import io.q2chub.testing.SalesforceTestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
    final ObjectMapper json = new ObjectMapper();

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
}
