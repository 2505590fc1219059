package io.q2chub.sandbox.stripe;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stripe's webhook signature: {@code Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.payload">}, one
 * v1 per endpoint secret in force (two while a rolled secret has not yet expired). Public so tests can forge,
 * back-date or sign with a retired secret.
 */
public final class WebhookSignature {

    private WebhookSignature() {
    }

    public static String header(String payload, long timestamp, List<String> secrets) {
        StringBuilder header = new StringBuilder("t=").append(timestamp);
        for (String secret : secrets) {
            header.append(",v1=").append(hmac(timestamp + "." + payload, secret));
        }
        return header.toString();
    }

    public static String header(String payload, long timestamp, String secret) {
        return header(payload, timestamp, List.of(secret));
    }

    static String hmac(String signedPayload, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(signedPayload.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
