package io.q2chub.sandbox.netsuite;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks NetSuite Token-Based Authentication (OAuth 1.0a, HMAC-SHA256, RFC 5849) the way NetSuite does.
 * Written independently of the connector's signer on purpose: a shared bug would otherwise verify itself.
 */
final class TbaVerifier {

    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    private static final Pattern PARAM = Pattern.compile("\\s*([A-Za-z_]+)\\s*=\\s*\"([^\"]*)\"\\s*");

    private final NetSuiteSimulator.Settings settings;
    private final Clock clock;
    private final Map<String, Long> seenNonces = new ConcurrentHashMap<>();

    TbaVerifier(NetSuiteSimulator.Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * @param baseUri scheme://host[:port]/path as the client addressed it (lower-case scheme and host)
     * @param rawQuery the query string as sent, or null
     */
    boolean verify(String method, String baseUri, String rawQuery, String authorization) {
        Map<String, String> oauth = parse(authorization);
        if (oauth == null
                || !settings.accountId().equals(oauth.get("realm"))
                || !settings.consumerKey().equals(oauth.get("oauth_consumer_key"))
                || !settings.tokenId().equals(oauth.get("oauth_token"))
                || !"HMAC-SHA256".equals(oauth.get("oauth_signature_method"))
                || !"1.0".equals(oauth.getOrDefault("oauth_version", "1.0"))
                || !fresh(oauth.get("oauth_timestamp"))
                || oauth.get("oauth_nonce") == null || oauth.get("oauth_signature") == null) {
            return false;
        }
        String expected = sign(method.toUpperCase(Locale.ROOT) + "&" + encode(baseUri) + "&"
                + encode(normalized(oauth, rawQuery)));
        boolean valid = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                oauth.get("oauth_signature").getBytes(StandardCharsets.US_ASCII));
        // A nonce is spent only by a request that proved it holds the secrets; otherwise anyone could burn nonces.
        return valid && seenNonces.putIfAbsent(oauth.get("oauth_nonce"), clock.millis()) == null && forgetOldNonces();
    }

    void reset() {
        seenNonces.clear();
    }

    private static Map<String, String> parse(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "OAuth ", 0, 6)) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (String part : authorization.substring(6).split(",")) {
            Matcher m = PARAM.matcher(part);
            if (!m.matches()) {
                return null;
            }
            params.put(m.group(1), decode(m.group(2)));
        }
        return params;
    }

    private boolean fresh(String timestamp) {
        try {
            long skew = Math.abs(clock.millis() / 1000 - Long.parseLong(timestamp));
            return skew <= MAX_CLOCK_SKEW.toSeconds();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** RFC 5849 3.4.1.3: query and oauth_* parameters except realm and the signature, encoded, then sorted. */
    private static String normalized(Map<String, String> oauth, String rawQuery) {
        List<String[]> params = new ArrayList<>();
        oauth.forEach((name, value) -> {
            if (name.startsWith("oauth_") && !name.equals("oauth_signature")) {
                params.add(new String[] {encode(name), encode(value)});
            }
        });
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                // RFC 5849 3.4.1.3.1: the query is form-encoded, so '+' is a space there
                params.add(new String[] {encode(formDecode(name)), encode(formDecode(value))});
            }
        }
        params.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder out = new StringBuilder();
        for (String[] p : params) {
            out.append(out.length() == 0 ? "" : "&").append(p[0]).append('=').append(p[1]);
        }
        return out.toString();
    }

    private String sign(String baseString) {
        String key = encode(settings.consumerSecret()) + "&" + encode(settings.tokenSecret());
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(baseString.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private boolean forgetOldNonces() {
        long cutoff = clock.millis() - 2 * MAX_CLOCK_SKEW.toMillis();
        seenNonces.values().removeIf(seen -> seen < cutoff);
        return true;
    }

    /** RFC 3986 percent-encoding: everything but unreserved characters, upper-case hex. */
    static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return out.toString();
    }

    private static String formDecode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    private static String decode(String value) {
        // '+' is a literal plus in OAuth parameters, not a space
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
