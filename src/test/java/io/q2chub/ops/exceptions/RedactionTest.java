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
}
