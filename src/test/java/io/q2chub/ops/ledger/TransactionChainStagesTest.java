package io.q2chub.ops.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.q2chub.canonical.QuoteToCashChain;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stage times the chain view shows, on milestones as the ledger holds them (plain unit test). */
class TransactionChainStagesTest {

    static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-27T10:00:00Z");

    @Test
    void eachStageRunsFromItsOpeningMilestoneAndAPostingOrApplicationPairsWithItsOwnDocument() {
        List<TransactionChain.Step> steps = List.of(
                step("booked", "q2c.contract.booked.v1", "ctr-1", 0),
                step("subscribed", "q2c.subscription.activated.v1", "sub-ctr-1", 2),
                step("invoiced", "q2c.invoice.issued.v1", "inv-1", 5),
                step("invoiced", "q2c.invoice.issued.v1", "inv-2", 6),
                step("posted", "q2c.invoice.posted.v1", "inv-1", 9),
                step("paid", "q2c.payment.recorded.v1", "pay-1", 60),
                step("applied", "q2c.payment.applied", "pay-1", 61));

        assertThat(TransactionChain.stageTimes(steps)).extracting(t -> t.stage() + "=" + t.seconds().toPlainString())
                .containsExactly("booked_to_subscribed=2.000", "subscribed_to_invoiced=3.000",
                        "subscribed_to_invoiced=4.000", "invoiced_to_posted=4.000", "posted_to_paid=51.000",
                        "paid_to_applied=1.000");
    }

    @Test
    void anInvoiceFinalizedBeforeTheHubAnnouncedItsSubscriptionTookNoTimeInThatStage() {
        List<TransactionChain.Step> steps = List.of(
                step("booked", "q2c.contract.booked.v1", "ctr-1", 0),
                step("invoiced", "q2c.invoice.issued.v1", "inv-1", 1),
                step("subscribed", "q2c.subscription.activated.v1", "sub-ctr-1", 2));

        assertThat(TransactionChain.stageTimes(steps)).extracting(t -> t.stage() + "=" + t.seconds().toPlainString())
                .containsExactly("subscribed_to_invoiced=0.000", "booked_to_subscribed=2.000");
    }

    @Test
    void theChainOfAnInvoiceIsTheContractItsSubscriptionBills() {
        assertThat(QuoteToCashChain.ofSubscription(QuoteToCashChain.subscriptionOfContract("ctr-sf-801")))
                .isEqualTo("ctr-sf-801");
        assertThat(QuoteToCashChain.ofSubscription("sub_self_service")).isEqualTo("sub_self_service");
        assertThat(QuoteToCashChain.ofSubscription(null)).isNull();
    }

    private static TransactionChain.Step step(String stage, String milestone, String key, int second) {
        return new TransactionChain.Step(stage, milestone, key, "evt-" + key + "-" + milestone, "/q2c-hub",
                T0.plusSeconds(second));
    }
}
