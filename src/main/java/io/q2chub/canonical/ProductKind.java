package io.q2chub.canonical;

/**
 * How a product earns revenue. It decides the recognition pattern (ratably over the service period, as consumed,
 * or on delivery), which is why revenue events carry it too.
 */
public enum ProductKind {
    RECURRING,
    USAGE,
    PROFESSIONAL_SERVICES
}
