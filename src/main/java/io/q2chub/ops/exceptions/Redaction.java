package io.q2chub.ops.exceptions;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of what the hub stores and prints about a failure: header values and payload fields whose name
 * says they hold a credential or signature are replaced, and so are secret-looking tokens inside error messages
 * and payload text. A redacted secret is gone for good: it is not the hub's to keep, even encrypted.
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

    // A JSON parser quotes the token it could not read ("Unrecognized token 'hunter2': was expecting ..."): in a
    // poison payload that token can be an unquoted secret, and the message goes to the case and the log.
    private static final Pattern PARSER_ECHO = Pattern.compile("(?i)(unrecognized token ')[^']*(')");

    // "password": "..." inside text that is not parseable JSON (a poison payload): the field name says it is secret.
    private static final Pattern SECRET_JSON_MEMBER = Pattern.compile(
            "(?i)(\"[^\"]*(authorization|signature|secret|password|passwd|token|api[-_]?key|cookie|credential)[^\"]*\"\\s*:\\s*)"
                    + "(\"(?:[^\"\\\\]|\\\\.)*\"|[^,}\\s]+)");

    // A whole field value that is an Authorization header's content. Stricter than SECRET_VALUE's prefix match so a
    // company called "Basic Widgets" keeps its name in a payload that will be replayed.
    private static final Pattern AUTHORIZATION_VALUE = Pattern.compile(
            "(?i)^\\s*(bearer|basic)\\s+(?=[^\\s]*[0-9=.])[A-Za-z0-9._~+/=-]{8,}\\s*$");
    private static final Pattern KEY_OR_CREDENTIAL_PARAMETER = Pattern.compile(
            "(?i)\\b(sk|rk|whsec)_(live|test)?_?[A-Za-z0-9]+"
                    + "|(oauth_signature|oauth_token|client_secret|password|access_token)=(\"[^\"]*\"|[^&\\s,]+)");

    private Redaction() {
    }

    /**
     * A string value of a JSON payload with secrets replaced: an Authorization-style value as a whole, API keys
     * and credential parameters wherever they occur. Ordinary business text is left exactly as it was.
     */
    public static String payloadValue(String value) {
        if (value == null) {
            return null;
        }
        if (AUTHORIZATION_VALUE.matcher(value).matches()) {
            return REDACTED;
        }
        return KEY_OR_CREDENTIAL_PARAMETER.matcher(value).replaceAll(match -> java.util.regex.Matcher.quoteReplacement(
                match.group(3) != null ? match.group(3) + "=" + REDACTED : REDACTED));
    }

    /**
     * Secrets in text that may be a broken JSON document: secret-named members and secret-looking tokens. Used
     * for payloads that cannot be parsed, where redacting field by field is impossible.
     */
    public static String rawText(String text) {
        if (text == null) {
            return null;
        }
        String members = SECRET_JSON_MEMBER.matcher(text)
                .replaceAll(match -> java.util.regex.Matcher.quoteReplacement(match.group(1) + "\"" + REDACTED + "\""));
        return text(members);
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
        return SECRET_VALUE.matcher(PARSER_ECHO.matcher(text).replaceAll("$1" + REDACTED + "$2")).replaceAll(match -> {
            String prefix = match.group(1) != null ? match.group(1)
                    : match.group(4) != null ? match.group(4) + "=" : "";
            return java.util.regex.Matcher.quoteReplacement(prefix + REDACTED);
        });
    }
}
