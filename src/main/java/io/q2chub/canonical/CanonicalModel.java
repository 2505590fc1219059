package io.q2chub.canonical;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The canonical model, registered for reflection in one place: Jackson binds event data to these records by their
 * accessors and canonical constructors, and the YAML routes' Simple expressions ({@code ${body.kind}}) read them the
 * same way. A native image keeps neither unless registered. CanonicalModelTest walks every event type's data class
 * and the records and enums it holds, so a new event type cannot be left out.
 */
@RegisterForReflection(targets = {
        Customer.class, Customer.Status.class,
        Product.class, ProductKind.class,
        Contract.class, Contract.Line.class,
        Subscription.class, Subscription.Status.class, Subscription.Item.class,
        Invoice.class, Invoice.Kind.class, Invoice.Totals.class, InvoiceLine.class,
        Payment.class, Payment.Kind.class,
        PaymentDispute.class, PaymentDispute.Status.class,
        PaymentFailure.class,
        Payout.class, Payout.Item.class,
        TaxDetail.class, TaxLine.class,
        RevenueEvent.class,
        Money.class
})
public final class CanonicalModel {

    private CanonicalModel() {
    }
}
