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
import java.util.function.Function;

/**
 * A client span around one HTTP request a connector sends with the JDK HttpClient, which no Quarkus instrumentation
 * sees: the span is a child of whatever is current on the exchange's thread (the capability route's step), so the
 * ERP call sits in the trace that started at the webhook. The W3C {@code traceparent} goes out with the request.
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
            otel.getPropagators().getTextMapPropagator().inject(Context.current(), request, HttpRequest.Builder::header);
            HttpResponse<T> response = send.apply(request.build());
            span.setAttribute(STATUS, (long) response.statusCode());
            if (response.statusCode() >= 400) {
                span.setStatus(StatusCode.ERROR);
            }
            return response;
        } catch (RuntimeException e) {
            // the failure's class only: a vendor's error text can echo customer data, and spans leave the hub
            span.setAttribute(ERROR_TYPE, e.getClass().getName());
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
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
