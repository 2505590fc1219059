package io.q2chub.ops.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * A client span around one HTTP request a connector sends with the JDK HttpClient or a vendor library's own client
 * (stripe-java), which no Quarkus instrumentation sees: the span is a child of whatever is current on the exchange's
 * thread (the capability route's step), so the ERP call sits in the trace that started at the webhook. The W3C {@code traceparent} goes out with the request.
 * Connectors are also built by hand in plain tests (no CDI): there the calls are simply not traced. The span holds
 * method, URL (connectors authenticate in headers, never in the URL), status and the failure's class: no bodies.
 */
public final class OutboundCall {

    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("q2c.system");
    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> URL = AttributeKey.stringKey("url.full");
    private static final AttributeKey<String> HOST = AttributeKey.stringKey("server.address");
    private static final AttributeKey<Long> PORT = AttributeKey.longKey("server.port");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private OutboundCall() {
    }

    /**
     * Sends {@code request} through {@code send} inside a CLIENT span named {@code "<system> <method>"}.
     * The URI must carry no credentials (connectors authenticate in headers).
     */
    public static <T> HttpResponse<T> traced(String system, String method, URI uri, HttpRequest.Builder request,
            Function<HttpRequest, HttpResponse<T>> send) {
        return traced(system, method, uri, traceHeaders -> {
            traceHeaders.forEach(request::header);
            return send.apply(request.build());
        }, HttpResponse::statusCode);
    }

    /**
     * One request of any HTTP client inside a CLIENT span named {@code "<system> <method>"}: {@code send} gets the
     * trace headers ({@code traceparent}) to add to its request, and {@code status} reads the answer's HTTP status.
     * What the client throws is thrown on, with the span marked failed. The URI must carry no credentials, and no
     * query a vendor's search could fill with customer data.
     */
    public static <T, E extends Exception> T traced(String system, String method, URI uri, Request<T, E> send,
            ToIntFunction<T> status) throws E {
        OpenTelemetry otel = openTelemetry();
        Tracer tracer = otel.getTracer("io.q2chub.connector");
        Span span = tracer.spanBuilder(system + " " + method)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(SYSTEM, system)
                .setAttribute(METHOD, method)
                .setAttribute(URL, uri.toString())
                .setAttribute(HOST, uri.getHost())
                .setAttribute(PORT, (long) (uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80))
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            Map<String, String> traceHeaders = new LinkedHashMap<>();
            otel.getPropagators().getTextMapPropagator().inject(Context.current(), traceHeaders, Map::put);
            T response = send.send(traceHeaders);
            int code = status.applyAsInt(response);
            span.setAttribute(STATUS, (long) code);
            if (code >= 400) {
                span.setStatus(StatusCode.ERROR);
            }
            return response;
        } catch (Exception e) {
            // the failure's class only: a vendor's error text can echo customer data, and spans leave the hub
            span.setAttribute(ERROR_TYPE, e.getClass().getName());
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }

    /** Sends one request with the given trace headers added. */
    @FunctionalInterface
    public interface Request<T, E extends Exception> {
        T send(Map<String, String> traceHeaders) throws E;
    }

    private static OpenTelemetry openTelemetry() {
        ArcContainer container = Arc.container();
        if (container == null || !container.isRunning()) {
            return OpenTelemetry.noop();
        }
        var bean = container.select(OpenTelemetry.class);
        return bean.isResolvable() ? bean.get() : OpenTelemetry.noop();
    }
}
