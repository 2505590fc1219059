package io.q2chub.ops.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Messages in the JSON Slack incoming webhooks accept: {@code text} (the notification and fallback line) and
 * {@code blocks} (Block Kit sections). Values are escaped for Slack's mrkdwn, so a capability name cannot inject
 * a link or a mention.
 */
final class SlackMessages {

    private final String consoleBaseUrl;
    private final boolean includeBusinessKey;

    SlackMessages(String consoleBaseUrl, boolean includeBusinessKey) {
        this.consoleBaseUrl = consoleBaseUrl.endsWith("/") ? consoleBaseUrl.substring(0, consoleBaseUrl.length() - 1) : consoleBaseUrl;
        this.includeBusinessKey = includeBusinessKey;
    }

    /** The console's page of one case; the console is served at /console with hash routing. */
    String caseLink(long id) {
        return consoleBaseUrl + "/console/#/cases/" + id;
    }

    String inboxLink() {
        return consoleBaseUrl + "/console/";
    }

    Map<String, Object> newCase(NewCase c) {
        String title = "New " + c.failureClass() + " exception case #" + c.id() + " in " + c.capability();
        List<Map<String, Object>> fields = new ArrayList<>();
        fields.add(field("Capability", c.capability()));
        fields.add(field("System", c.system()));
        fields.add(field("Class", c.failureClass()));
        fields.add(field("Error code", c.errorCode()));
        fields.add(field("Team", c.team()));
        if (includeBusinessKey && c.businessKey() != null) {
            fields.add(field("Business key", c.businessKey()));
        }
        return message(title + ": " + c.system() + " " + c.errorCode() + " (team " + c.team() + ") " + caseLink(c.id()),
                List.of(
                        section("*New " + escape(c.failureClass()) + " exception case <" + caseLink(c.id()) + "|#" + c.id()
                                + ">* in " + escape(c.capability())),
                        Map.of("type", "section", "fields", fields),
                        context("<" + caseLink(c.id()) + "|Open case #" + c.id() + " in the console>")));
    }

    Map<String, Object> tooManyOpen(String capability, long open, long threshold) {
        String title = capability + ": " + open + " open exception cases (threshold " + threshold + ")";
        return message(title + " " + inboxLink(), List.of(
                section("*" + escape(capability) + "*: " + open + " open exception cases, above the threshold of " + threshold),
                context("<" + inboxLink() + "|Open the exception inbox>")));
    }

    Map<String, Object> tooOld(String capability, long oldestCaseId, Duration age, Duration limit) {
        String title = capability + ": open exception case #" + oldestCaseId + " is " + minutes(age)
                + " old (limit " + minutes(limit) + ")";
        return message(title + " " + caseLink(oldestCaseId), List.of(
                section("*" + escape(capability) + "*: the oldest open exception case <" + caseLink(oldestCaseId) + "|#"
                        + oldestCaseId + "> is " + minutes(age) + " old, longer than " + minutes(limit)),
                context("<" + caseLink(oldestCaseId) + "|Open case #" + oldestCaseId + " in the console>")));
    }

    Map<String, Object> suppressed(long rateLimited, long queueFull) {
        StringBuilder text = new StringBuilder();
        if (rateLimited > 0) {
            text.append(rateLimited).append(" exception notification(s) held back by the rate limit");
        }
        if (queueFull > 0) {
            text.append(text.length() > 0 ? " and " : "").append(queueFull)
                    .append(" dropped because the notification queue was full");
        }
        text.append(". The cases are in the inbox.");
        return message(text + " " + inboxLink(), List.of(section(escape(text.toString())),
                context("<" + inboxLink() + "|Open the exception inbox>")));
    }

    private static Map<String, Object> message(String text, List<Map<String, Object>> blocks) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("text", text);
        message.put("blocks", blocks);
        return message;
    }

    private static Map<String, Object> section(String mrkdwn) {
        return Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", mrkdwn));
    }

    private static Map<String, Object> context(String mrkdwn) {
        return Map.of("type", "context", "elements", List.of(Map.of("type", "mrkdwn", "text", mrkdwn)));
    }

    private static Map<String, Object> field(String label, String value) {
        return Map.of("type", "mrkdwn", "text", "*" + label + "*\n" + escape(value == null ? "-" : value));
    }

    /** Slack's mrkdwn control characters, escaped as Slack documents. */
    static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String minutes(Duration d) {
        long m = d.toMinutes();
        return m >= 120 ? (m / 60) + " h" : m + " min";
    }
}
