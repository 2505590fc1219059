package io.q2chub.ops.exceptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PayloadProtectionTest {

    static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    static final String OTHER_KEY = Base64.getEncoder().encodeToString("another-key-of-thirty-two-bytes!".getBytes(StandardCharsets.US_ASCII));
    static final ObjectMapper JSON = new ObjectMapper();

    final PayloadProtection protection = protection(KEY);

    static PayloadProtection protection(String key) {
        return new PayloadProtection(JSON, Optional.of(List.of("email", "taxId", "/contacts/0/phone")), Optional.ofNullable(key));
    }

    static final String CUSTOMER = """
            {"id":"cust-1","name":"Acme","taxId":"12-3456789","email":"ap@acme.example","status":"ACTIVE",
             "apiKey":"k-live-123","credentials":{"user":"u","password":"hunter2"},"note":"Bearer eyJhbGciOi.e30.sig",
             "contacts":[{"phone":"+1 555 0100","role":"AP"},{"phone":"+1 555 0199"}],"nothing":null}""";

    @Test
    void secretsAreRedactedAndPiiEncryptedFieldByField() throws Exception {
        PayloadProtection.Protected kept = protection.protect(bytes(CUSTOMER));
        String stored = new String(kept.payload(), StandardCharsets.UTF_8);

        assertThat(stored).doesNotContain("k-live-123", "hunter2", "eyJhbGciOi", "12-3456789", "ap@acme.example", "555 0100")
                .contains("\"apiKey\":\"[REDACTED]\"", "\"credentials\":\"[REDACTED]\"", "\"note\":\"[REDACTED]\"",
                        "\"email\":\"[ENCRYPTED]\"", "\"taxId\":\"[ENCRYPTED]\"", "\"phone\":\"[ENCRYPTED]\"",
                        "\"name\":\"Acme\"", "\"nothing\":null")
                // A pointer names one place only: the second contact's phone is not configured.
                .contains("+1 555 0199");
        assertThat(kept.encryptedPii()).containsOnlyKeys("/email", "/taxId", "/contacts/0/phone");
        assertThat(String.join(" ", kept.encryptedPii().values())).doesNotContain("ap@acme.example", "12-3456789");
    }

    @Test
    void restoreSendsTheOriginalPiiButNotTheSecrets() throws Exception {
        PayloadProtection.Protected kept = protection.protect(bytes(CUSTOMER));

        JsonNode restored = JSON.readTree(protection.restore(kept.payload(), kept.encryptedPii()));

        assertThat(restored.path("email").asText()).isEqualTo("ap@acme.example");
        assertThat(restored.path("taxId").asText()).isEqualTo("12-3456789");
        assertThat(restored.path("contacts").path(0).path("phone").asText()).isEqualTo("+1 555 0100");
        assertThat(restored.path("apiKey").asText()).isEqualTo(Redaction.REDACTED);
    }

    @Test
    void aValueTheOperatorChangedIsKeptOnRestore() throws Exception {
        PayloadProtection.Protected kept = protection.protect(bytes(CUSTOMER));
        ObjectNode edited = (ObjectNode) JSON.readTree(kept.payload());
        edited.put("email", "billing@acme.example");

        JsonNode restored = JSON.readTree(protection.restore(JSON.writeValueAsBytes(edited), kept.encryptedPii()));

        assertThat(restored.path("email").asText()).isEqualTo("billing@acme.example");
        assertThat(restored.path("taxId").asText()).isEqualTo("12-3456789");
    }

    @Test
    void aPayloadWithoutSecretsOrPiiIsKeptByteForByte() {
        byte[] clean = bytes("{ \"id\" : \"cust-2\",\n \"name\":\"Globex\" }");
        assertThat(protection.protect(clean).payload()).isSameAs(clean);
        assertThat(protection.protect(clean).encryptedPii()).isEmpty();
    }

    @Test
    void anUnparseablePayloadKeepsItsBytesExceptSecretsAndPii() {
        byte[] poison = concat(bytes("{\"id\":\"c-9\",\"apiKey\":\"k-live-123\",\"email\":\"ap@acme.example\", note: mail x@y.example "),
                new byte[] {(byte) 0xFF, (byte) 0xFE, 0x00}, bytes(" sk_live_abcDEF123"));

        byte[] stored = protection.protect(poison).payload();
        String text = new String(stored, StandardCharsets.ISO_8859_1);

        assertThat(text).doesNotContain("k-live-123", "ap@acme.example", "x@y.example", "sk_live_abcDEF123")
                .contains("{\"id\":\"c-9\",\"apiKey\":\"[REDACTED]\",\"email\":\"[REDACTED]\"");
        assertThat(text).contains(new String(new byte[] {(byte) 0xFF, (byte) 0xFE, 0x00}, StandardCharsets.ISO_8859_1));
        assertThat(protection.protect(poison).encryptedPii()).isEmpty();
    }

    @Test
    void theAuditCopyOfAnEditedPayloadHasNoSecretAndNoPii() {
        String audit = protection.forAudit(bytes(CUSTOMER));
        assertThat(audit).doesNotContain("hunter2", "ap@acme.example", "12-3456789").contains("[ENCRYPTED]");
    }

    @Test
    void anotherKeyCannotDecryptAndSaysWhichField() {
        PayloadProtection.Protected kept = protection.protect(bytes(CUSTOMER));

        assertThatThrownBy(() -> protection(OTHER_KEY).restore(kept.payload(), kept.encryptedPii()))
                .isInstanceOf(PiiCipher.PiiUnreadable.class)
                .hasMessageContaining("field /taxId").hasMessageContaining("q2c.exceptions.pii-key");
    }

    @Test
    void aMissingOrMalformedKeyStopsStartUpSayingWhatToSet() {
        assertThatThrownBy(() -> protection(null)).hasMessageContaining("Q2C_EXCEPTION_PII_KEY")
                .hasMessageContaining("openssl rand -base64 32");
        assertThatThrownBy(() -> protection("not base64!")).hasMessageContaining("not valid base64");
        assertThatThrownBy(() -> protection(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("decodes to 16 bytes").hasMessageNotContaining("AAAA");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
