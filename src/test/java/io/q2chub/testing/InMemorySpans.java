package io.q2chub.testing;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Finished spans kept in memory for the trace assertions (StripeWebhookIngressTest). Quarkus' OpenTelemetry exports
 * to every SpanExporter bean, and with one present it leaves the OTLP exporter out, so no test tries to reach a
 * collector. Tests run with the SDK disabled (application.properties) except the profile that switches it on, so
 * other test applications export nothing here.
 */
public class InMemorySpans {

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
