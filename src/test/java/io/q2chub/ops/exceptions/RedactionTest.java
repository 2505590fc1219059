package io.q2chub.ops.exceptions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void credentialHeadersAreReplacedAndCamelInternalsDropped() {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer eyJhbGciOi.secret.token");
        headers.put("Stripe-Signature", "t=1,v1=abc");
        headers.put("X-Api-Key", "k-123");
        headers.put("ce_id", "evt-1");
        headers.put("CamelHttpUri", "/api/events");

        assertThat(Redaction.headers(headers)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "Authorization", Redaction.REDACTED,
                "Stripe-Signature", Redaction.REDACTED,
                "X-Api-Key", Redaction.REDACTED,
                "ce_id", "evt-1"));
    }

    @Test
    void secretsEchoedInErrorMessagesAreReplaced() {
        String text = Redaction.text("401 from https://x/token?client_secret=s3cr3t&grant=1, sent Bearer abc.def "
                + "with key sk_test_4eC39HqLyjWDarjtT1zdp7dc and oauth_signature=\"q%2Bw\"");
        assertThat(text).doesNotContain("s3cr3t", "abc.def", "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "q%2Bw")
                .contains("client_secret=[REDACTED]", "Bearer [REDACTED]", "oauth_signature=[REDACTED]");
    }

    @Test
    void payloadValuesLoseKeysAndTokensButKeepBusinessText() {
        assertThat(Redaction.payloadValue("Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig")).isEqualTo(Redaction.REDACTED);
        assertThat(Redaction.payloadValue("key sk_live_51HxyzABC and more")).isEqualTo("key [REDACTED] and more");
        assertThat(Redaction.payloadValue("https://x/cb?password=hunter2&x=1")).isEqualTo("https://x/cb?password=[REDACTED]&x=1");
        // A company may be called "Basic ..." and a bond "Bearer ...": names are not credentials.
        assertThat(Redaction.payloadValue("Basic Widgets Inc")).isEqualTo("Basic Widgets Inc");
        assertThat(Redaction.payloadValue("Bearer Bonds Ltd")).isEqualTo("Bearer Bonds Ltd");
    }

    @Test
    void rawTextLosesSecretMembersAndTokens() {
        String raw = "{\"id\":\"c-1\",\"apiKey\": \"k-123\", \"client_secret\":\"s\\\"3\", \"token\": 42, "
                + "\"note\":\"Bearer abc.def\", truncated";
        String redacted = Redaction.rawText(raw);
        assertThat(redacted).doesNotContain("k-123", "s\\\"3", "42", "abc.def")
                .contains("\"id\":\"c-1\"", "\"apiKey\": \"[REDACTED]\"", "\"token\": \"[REDACTED]\"", "truncated");
    }

    @Test
    void aTokenEchoedByTheJsonParserIsReplaced() {
        assertThat(Redaction.text("q2c.customer.changed.v1: data is not parseable JSON: Unrecognized token 'hunter2': was expecting"))
                .isEqualTo("q2c.customer.changed.v1: data is not parseable JSON: Unrecognized token '[REDACTED]': was expecting");
    }
}
