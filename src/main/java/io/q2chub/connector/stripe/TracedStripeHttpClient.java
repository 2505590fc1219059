package io.q2chub.connector.stripe;

import com.stripe.exception.StripeException;
import com.stripe.net.HttpClient;
import com.stripe.net.HttpURLConnectionClient;
import com.stripe.net.StripeRequest;
import com.stripe.net.StripeResponse;
import com.stripe.net.StripeResponseStream;
import io.q2chub.ops.tracing.OutboundCall;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/**
 * stripe-java's own HTTP client with each request in a CLIENT span ({@code stripe GET|POST|DELETE}, through
 * {@link OutboundCall} like the NetSuite requests), so a Stripe call sits in the trace of the capability step that
 * makes it, and {@code traceparent} goes out with the request. stripe-java retries inside
 * {@link HttpClient#requestWithRetries}, which calls {@link #request} once per attempt: one span per attempt (the
 * connector sets no library retries anyway).
 */
final class TracedStripeHttpClient extends HttpClient {

    private final HttpURLConnectionClient http = new HttpURLConnectionClient();

    @Override
    public StripeResponse request(StripeRequest request) throws StripeException {
        return OutboundCall.traced(StripeFailures.SYSTEM, request.method().name(), spanUri(request),
                traceHeaders -> http.request(withHeaders(request, traceHeaders)), StripeResponse::code);
    }

    @Override
    public StripeResponseStream requestStream(StripeRequest request) throws StripeException {
        return OutboundCall.traced(StripeFailures.SYSTEM, request.method().name(), spanUri(request),
                traceHeaders -> http.requestStream(withHeaders(request, traceHeaders)), StripeResponseStream::code);
    }

    private static StripeRequest withHeaders(StripeRequest request, Map<String, String> headers) {
        StripeRequest with = request;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            with = with.withAdditionalHeader(header.getKey(), header.getValue());
        }
        return with;
    }

    /** The URL without its query: a search query or list filter can carry customer data, and spans leave the hub. */
    private static URI spanUri(StripeRequest request) {
        try {
            URI url = request.url().toURI();
            return new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(), null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URI: " + request.url().getPath(), e);
        }
    }
}
