package io.q2chub.ops.exceptions;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of what the hub stores and prints about a failure: header values whose name says they hold
 * a credential or signature are replaced, and so are secret-looking tokens inside error messages.
 */
public final class Redaction {

    public static final String REDACTED = "[REDACTED]";

    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(authorization|signature|secret|password|passwd|token|api[-_]?key|cookie|credential).*");

    // Bearer tokens, basic auth, Stripe-style keys and OAuth 1.0a parameters that may be echoed in error text.
    private static final Pattern SECRET_VALUE = Pattern.compile(
            "(?i)(bearer\\s+|basic\\s+)[A-Za-z0-9._~+/=-]+"
                    + "|\\b(sk|rk|whsec)_(live|test)?_?[A-Za-z0-9]+"
                    + "|(oauth_signature|oauth_token|client_secret|password|access_token)=(\"[^\"]*\"|[^&\\s,]+)");

    private Redaction() {
    }

    /** The headers worth keeping with a parked message, with secrets replaced and Camel's internals left out. */
    public static Map<String, String> headers(Map<String, Object> headers) {
        Map<String, String> kept = new TreeMap<>();
        headers.forEach((name, value) -> {
            if (value == null || name.startsWith("Camel") || name.startsWith("camel")) {
                return;
            }
            kept.put(name, isSecretName(name) ? REDACTED : text(String.valueOf(value)));
        });
        return kept;
    }

    public static boolean isSecretName(String name) {
        return SECRET_NAME.matcher(name.toLowerCase(Locale.ROOT)).matches();
    }

    public static String text(String text) {
        if (text == null) {
            return null;
        }
        return SECRET_VALUE.matcher(text).replaceAll(match -> {
            String prefix = match.group(1) != null ? match.group(1)
                    : match.group(4) != null ? match.group(4) + "=" : "";
            return java.util.regex.Matcher.quoteReplacement(prefix + REDACTED);
        });
    }
}
