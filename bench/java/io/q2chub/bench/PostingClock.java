package io.q2chub.bench;

import io.q2chub.sandbox.netsuite.NetSuiteSimulator;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * When each invoice landed in the NetSuite simulator: the first successful {@code PUT /invoice/eid:{id}} answered
 * per external id. Counts come from the simulator's side of the wire, not from the hub.
 */
final class PostingClock implements NetSuiteSimulator.AnswerListener {

    private static final String INVOICE = "/invoice/eid:";

    private final Map<String, Long> postedAt = new ConcurrentHashMap<>();
    private final AtomicInteger posted = new AtomicInteger();
    private volatile long lastPostedAt;
    private volatile long firstAnsweredAt;

    @Override
    public void answered(String method, String rawPath, int status) {
        if (firstAnsweredAt == 0) {
            firstAnsweredAt = System.nanoTime();
        }
        if (!"PUT".equals(method) || status < 200 || status > 299) {
            return;
        }
        int at = rawPath.indexOf(INVOICE);
        if (at < 0) {
            return;
        }
        String externalId = URLDecoder.decode(rawPath.substring(at + INVOICE.length()), StandardCharsets.UTF_8);
        long now = System.nanoTime();
        if (postedAt.putIfAbsent(externalId, now) == null) {
            posted.incrementAndGet();
            lastPostedAt = now;
        }
    }

    /** When the simulator answered its first request of any kind (0 = not yet): the hub's first call. */
    long firstAnsweredAt() {
        return firstAnsweredAt;
    }

    int posted() {
        return posted.get();
    }

    long lastPostedAt() {
        return lastPostedAt;
    }

    Long postedAt(String externalId) {
        return postedAt.get(externalId);
    }

    /** Earliest posting at or after a moment, for the first invoice out of a backlog. */
    long firstPostedAfter(long nanos) {
        return postedAt.values().stream().filter(t -> t >= nanos).mapToLong(Long::longValue).min().orElse(-1);
    }
}
