package io.q2chub.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** customer.changed events as the CRM ingress publishes them, for tests that need a real onboarding (or its failure). */
public final class CrmCustomerEvents {

    public static final String TOPIC = "q2c.customer.v1";

    private static final ObjectMapper JSON = new ObjectMapper();

    private CrmCustomerEvents() {
    }

    /** A US account the master-data policy accepts: onboarded into the ERP and the billing platform. */
    public static Map<String, Object> validUsAccount(String customerId, String name) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", customerId);
        data.put("name", name);
        data.put("legalEntity", "US01");
        data.put("billingCountry", "US");
        data.put("currency", "USD");
        data.put("taxId", "12-3456789");
        data.put("email", "ap@example.com");
        data.put("status", "ACTIVE");
        return data;
    }

    /** Publishes a CREATE of the account on the customer topic, keyed by its canonical id. */
    public static void sendCreate(String eventId, Map<String, Object> account) {
        String customerId = (String) account.get("id");
        Map<String, String> headers = new LinkedHashMap<>(CanonicalSamples.customerChangedHeaders(eventId, customerId));
        headers.put("q2c-change-type", "CREATE");
        headers.put("q2c-source-role", "crm");
        try {
            KafkaTestClient.send(TOPIC, null, customerId, JSON.writeValueAsBytes(account), headers);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
