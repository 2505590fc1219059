package io.q2chub.connector.netsuite;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * NetSuite Token-Based Authentication: an OAuth 1.0a (RFC 5849) Authorization header signed with HMAC-SHA256,
 * realm = account id. NetSuite refuses a reused nonce or a timestamp more than a few minutes off, so every
 * request gets its own header; never cache one.
 */
public final class TokenBasedAuth {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String accountId;
    private final String consumerKey;
    private final String tokenId;
    private final SecretKeySpec signingKey;
    private final Clock clock;

    public TokenBasedAuth(NetSuiteSettings settings) {
        this(settings, Clock.systemUTC());
    }

    TokenBasedAuth(NetSuiteSettings settings, Clock clock) {
        this.accountId = settings.accountId();
        this.consumerKey = settings.consumerKey();
        this.tokenId = settings.tokenId();
        String key = encode(settings.consumerSecret()) + "&" + encode(settings.tokenSecret());
        this.signingKey = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.clock = clock;
    }

    /** The Authorization header value for one request, with a fresh nonce and timestamp. */
    public String header(String method, URI uri) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return header(method, uri, HexFormat.of().formatHex(nonce), clock.millis() / 1000);
    }

    String header(String method, URI uri, String nonce, long timestamp) {
        Map<String, String> oauth = new LinkedHashMap<>();
        oauth.put("oauth_consumer_key", consumerKey);
        oauth.put("oauth_token", tokenId);
        oauth.put("oauth_signature_method", "HMAC-SHA256");
        oauth.put("oauth_timestamp", Long.toString(timestamp));
        oauth.put("oauth_nonce", nonce);
        oauth.put("oauth_version", "1.0");
        String baseString = method.toUpperCase(Locale.ROOT) + "&" + encode(baseUri(uri)) + "&"
                + encode(normalizedParameters(oauth, uri.getRawQuery()));
        oauth.put("oauth_signature", sign(baseString));

        StringBuilder header = new StringBuilder("OAuth realm=\"").append(encode(accountId)).append('"');
        oauth.forEach((name, value) -> header.append(", ").append(name).append("=\"").append(encode(value)).append('"'));
        return header.toString();
    }

    /** RFC 5849 3.4.1.2: lower-case scheme and host, port only when not the scheme's default, no query. */
    static String baseUri(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port)
                + (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
    }

    /** RFC 5849 3.4.1.3: oauth_* and query parameters, each encoded, sorted by name then value. */
    private static String normalizedParameters(Map<String, String> oauth, String rawQuery) {
        List<String[]> pairs = new ArrayList<>();
        oauth.forEach((name, value) -> pairs.add(new String[] {encode(name), encode(value)}));
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                // the query is form-encoded (RFC 5849 3.4.1.3.1): decode it, then encode it the OAuth way
                pairs.add(new String[] {encode(formDecode(name)), encode(formDecode(value))});
            }
        }
        pairs.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        StringJoiner normalized = new StringJoiner("&");
        pairs.forEach(p -> normalized.add(p[0] + "=" + p[1]));
        return normalized.toString();
    }

    private String sign(String baseString) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(signingKey);
            return Base64.getEncoder().encodeToString(mac.doFinal(baseString.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    private static String formDecode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    /** RFC 3986 percent-encoding as OAuth requires: only unreserved characters stay, hex in upper case. */
    static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }
}
