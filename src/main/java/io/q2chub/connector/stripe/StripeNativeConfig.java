package io.q2chub.connector.stripe;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What stripe-java needs in a native image, since it has no Quarkus extension: it binds Stripe's JSON to its model
 * classes with Gson, field by field, and writes request parameters from their fields, both by reflection. Listed
 * here: the model and parameter classes this connector reads and sends, and every class their fields reach (nested
 * classes are registered with their top-level class), plus the payment-source implementations Stripe's Gson
 * adapters pick by the {@code object} field. StripeNativeConfigTest recomputes that closure from stripe-java itself
 * and from the classes this package names, so an upgrade or a new call that reaches a class not listed fails it.
 * Whether native-image then builds and runs is only shown where Mandrel is (the workflow's native job).
 */
@RegisterForReflection(classNames = {
        "com.stripe.model.Account",
        "com.stripe.model.Address",
        "com.stripe.model.Application",
        "com.stripe.model.ApplicationFee",
        "com.stripe.model.BalanceTransaction",
        "com.stripe.model.BalanceTransactionSource",
        "com.stripe.model.BankAccount",
        "com.stripe.model.Card",
        "com.stripe.model.CashBalance",
        "com.stripe.model.Charge",
        "com.stripe.model.Coupon",
        "com.stripe.model.CreditNote",
        "com.stripe.model.CreditNoteLineItemCollection",
        "com.stripe.model.Customer",
        "com.stripe.model.CustomerBalanceTransaction",
        "com.stripe.model.Discount",
        "com.stripe.model.Dispute",
        "com.stripe.model.Event",
        "com.stripe.model.ExpandableField",
        "com.stripe.model.ExternalAccount",
        "com.stripe.model.ExternalAccountCollection",
        "com.stripe.model.FeeRefundCollection",
        "com.stripe.model.File",
        "com.stripe.model.FileLinkCollection",
        "com.stripe.model.Invoice",
        "com.stripe.model.InvoiceLineItemCollection",
        "com.stripe.model.InvoicePayment",
        "com.stripe.model.InvoicePaymentCollection",
        "com.stripe.model.LineItemCollection",
        "com.stripe.model.Mandate",
        "com.stripe.model.PaymentIntent",
        "com.stripe.model.PaymentIntentAmountDetailsLineItemCollection",
        "com.stripe.model.PaymentLink",
        "com.stripe.model.PaymentMethod",
        "com.stripe.model.PaymentRecord",
        "com.stripe.model.PaymentSource",
        "com.stripe.model.PaymentSourceCollection",
        "com.stripe.model.Payout",
        "com.stripe.model.Person",
        "com.stripe.model.Plan",
        "com.stripe.model.Price",
        "com.stripe.model.Product",
        "com.stripe.model.PromotionCode",
        "com.stripe.model.Refund",
        "com.stripe.model.RefundCollection",
        "com.stripe.model.Review",
        "com.stripe.model.SetupAttempt",
        "com.stripe.model.SetupIntent",
        "com.stripe.model.ShippingDetails",
        "com.stripe.model.ShippingRate",
        "com.stripe.model.Source",
        "com.stripe.model.StripeCollection",
        "com.stripe.model.StripeError",
        "com.stripe.model.StripeObject",
        "com.stripe.model.StripeSearchResult",
        "com.stripe.model.Subscription",
        "com.stripe.model.SubscriptionCollection",
        "com.stripe.model.SubscriptionItem",
        "com.stripe.model.SubscriptionItemCollection",
        "com.stripe.model.SubscriptionSchedule",
        "com.stripe.model.TaxCode",
        "com.stripe.model.TaxId",
        "com.stripe.model.TaxIdCollection",
        "com.stripe.model.TaxRate",
        "com.stripe.model.Transfer",
        "com.stripe.model.TransferReversal",
        "com.stripe.model.TransferReversalCollection",
        "com.stripe.model.billing.CreditBalanceTransaction",
        "com.stripe.model.billing.CreditGrant",
        "com.stripe.model.checkout.Session",
        "com.stripe.model.testhelpers.TestClock",
        "com.stripe.param.BalanceTransactionListParams",
        "com.stripe.param.CreditNoteRetrieveParams",
        "com.stripe.param.CustomerCreateParams",
        "com.stripe.param.CustomerSearchParams",
        "com.stripe.param.CustomerUpdateParams",
        "com.stripe.param.InvoiceListParams",
        "com.stripe.param.InvoicePaymentListParams",
        "com.stripe.param.InvoiceRetrieveParams",
        "com.stripe.param.InvoiceUpdateParams",
        "com.stripe.param.PayoutListParams",
        "com.stripe.param.RefundListParams",
        "com.stripe.param.SubscriptionCreateParams"
})
public final class StripeNativeConfig {

    /** Where the closure starts: what the connector reads, sends or gets back as a collection of. */
    static final java.util.List<String> ROOTS = java.util.List.of(
            "com.stripe.model.Invoice", "com.stripe.model.Customer", "com.stripe.model.Subscription",
            "com.stripe.model.SubscriptionItem", "com.stripe.model.CreditNote", "com.stripe.model.PaymentIntent",
            "com.stripe.model.Payout", "com.stripe.model.BalanceTransaction", "com.stripe.model.Charge",
            "com.stripe.model.Refund", "com.stripe.model.InvoicePayment", "com.stripe.model.Dispute",
            "com.stripe.model.Event", "com.stripe.model.StripeSearchResult", "com.stripe.model.StripeCollection",
            "com.stripe.model.StripeError", "com.stripe.model.Price",
            // chosen by the object field behind PaymentSource, ExternalAccount and BalanceTransactionSource
            "com.stripe.model.Card", "com.stripe.model.BankAccount", "com.stripe.model.Source");

    private StripeNativeConfig() {
    }
}
