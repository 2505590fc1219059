package io.q2chub.sandbox.stripe;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Stripe's authentication: the secret key as a Bearer token, or as the user name of HTTP Basic (password empty),
 * which Stripe also accepts. A wrong key is echoed only masked, the way Stripe does it.
 */
final class ApiKeyCheck {

    private final byte[] expected;

    ApiKeyCheck(String apiKey) {
        this.expected = apiKey.getBytes(StandardCharsets.UTF_8);
    }

    /** Null when the request is authenticated, else the 401 Stripe would answer. */
    StripeError check(String authorization) {
        String presented = presentedKey(authorization);
        if (presented == null || presented.isEmpty()) {
            return StripeError.missingApiKey();
        }
        // Constant-time, as any credential comparison should be, even in a simulator that tests may copy from.
        if (MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        return StripeError.invalidApiKey(mask(presented));
    }

    private static String presentedKey(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return value.substring(7).trim();
        }
        if (value.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? decoded : decoded.substring(0, colon);
            } catch (IllegalArgumentException notBase64) {
                return "";
            }
        }
        return null;
    }

    /** {@code sk_test_****1234}: the key's type prefix and its last four characters, nothing else. */
    static String mask(String key) {
        int prefixEnd = 0;
        for (String prefix : new String[] {"sk_test_", "sk_live_", "rk_test_", "rk_live_", "pk_test_", "pk_live_"}) {
            if (key.startsWith(prefix)) {
                prefixEnd = prefix.length();
            }
        }
        String rest = key.substring(prefixEnd);
        String tail = rest.length() > 4 ? rest.substring(rest.length() - 4) : "";
        return key.substring(0, prefixEnd) + "****" + tail;
    }
}
