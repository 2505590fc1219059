package io.q2chub.canonical;

/**
 * The rule that names a quote-to-cash chain, so every event of one chain carries the same {@code ce_correlationid}
 * without any consumer looking it up: the chain of a booked contract is the canonical contract id; the subscription
 * that bills it, its invoices (and their ERP postings) and the payments of those invoices belong to that chain.
 *
 * <p>The hub names the subscription of contract {@code X} {@code sub-X}, so the chain of an invoice follows from
 * the canonical subscription it bills. A subscription the hub did not start (self-service, no CRM contract) is its
 * own chain. An event with no chain to join (a refund, a customer change) starts one named after its event id.
 */
public final class QuoteToCashChain {

    /** Prefix of the canonical id the hub gives the billing subscription of a contract. */
    static final String SUBSCRIPTION_PREFIX = "sub-";

    private QuoteToCashChain() {
    }

    /** The chain a booked contract starts. */
    public static String ofContract(String contractId) {
        return contractId;
    }

    /** The canonical subscription the hub opens for a contract. */
    public static String subscriptionOfContract(String contractId) {
        return SUBSCRIPTION_PREFIX + contractId;
    }

    /** The contract a canonical subscription bills; null for a subscription the hub did not open for a contract. */
    public static String contractOfSubscription(String subscriptionId) {
        return subscriptionId != null && subscriptionId.startsWith(SUBSCRIPTION_PREFIX)
                ? subscriptionId.substring(SUBSCRIPTION_PREFIX.length()) : null;
    }

    /** The chain of a document billed by this canonical subscription; null when there is no subscription. */
    public static String ofSubscription(String subscriptionId) {
        if (subscriptionId == null) {
            return null;
        }
        String contract = contractOfSubscription(subscriptionId);
        return contract != null ? ofContract(contract) : subscriptionId;
    }
}
