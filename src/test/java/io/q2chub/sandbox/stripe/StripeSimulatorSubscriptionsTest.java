package io.q2chub.sandbox.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.model.Subscription;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.ProductCreateParams;
import com.stripe.param.SubscriptionCreateParams;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Products, prices and subscriptions of the simulator, through stripe-java as the hub calls them. */
class StripeSimulatorSubscriptionsTest {

    static final String KEY = "sk_test_subscriptions0001";
    StripeSimulator sim;
    StripeClient stripe;
    final List<Map<String, Object>> created = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        sim = StripeSimulator.start(KEY, 1000);
        stripe = StripeClient.builder().setApiKey(KEY).setApiBase(sim.baseUrl()).setMaxNetworkRetries(0).build();
        sim.onSubscriptionCreated(subscription -> {
            created.add(subscription);
            return "in_first_" + created.size();
        });
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void aSubscriptionCarriesItsPricesInMinorUnitsAndStartsItsFirstInvoiceOnce() throws Exception {
        String customer = stripe.v1().customers().create(CustomerCreateParams.builder().setName("Gulf WLL").build()).getId();
        String seat = price("SKU-SEAT", "kwd", 12345);
        String support = price("SKU-SUPPORT", "kwd", 500);
        SubscriptionCreateParams params = SubscriptionCreateParams.builder().setCustomer(customer)
                .addItem(SubscriptionCreateParams.Item.builder().setPrice(seat).setQuantity(2L).build())
                .addItem(SubscriptionCreateParams.Item.builder().setPrice(support).setQuantity(1L).build())
                .putMetadata("contract_id", "ctr-1").build();
        RequestOptions keyed = RequestOptions.builder().setIdempotencyKey("activate-ctr-1").build();

        Subscription first = stripe.v1().subscriptions().create(params, keyed);
        Subscription again = stripe.v1().subscriptions().create(params, keyed);

        assertThat(again.getId()).isEqualTo(first.getId());
        assertThat(sim.subscriptions()).hasSize(1);
        assertThat(created).hasSize(1);
        assertThat(first.getLatestInvoice()).isEqualTo("in_first_1");
        assertThat(first.getStatus()).isEqualTo("active");
        assertThat(first.getItems().getData()).extracting(i -> i.getPrice().getUnitAmount()).containsExactly(12345L, 500L);
        assertThat(first.getItems().getData()).extracting(i -> i.getQuantity()).containsExactly(2L, 1L);
        assertThat(first.getItems().getData().get(0).getCurrentPeriodEnd()).isGreaterThan(first.getItems().getData().get(0).getCurrentPeriodStart());
        assertThat(stripe.v1().subscriptions().retrieve(first.getId()).getMetadata()).containsEntry("contract_id", "ctr-1");
    }

    @Test
    void theSameKeyWithOtherItemsIsRefused() throws Exception {
        String customer = stripe.v1().customers().create(CustomerCreateParams.builder().setName("Tokyo KK").build()).getId();
        String seat = price("SKU-SEAT", "jpy", 12000);
        RequestOptions keyed = RequestOptions.builder().setIdempotencyKey("activate-ctr-2").build();
        stripe.v1().subscriptions().create(SubscriptionCreateParams.builder().setCustomer(customer)
                .addItem(SubscriptionCreateParams.Item.builder().setPrice(seat).setQuantity(1L).build()).build(), keyed);

        assertThatThrownBy(() -> stripe.v1().subscriptions().create(SubscriptionCreateParams.builder().setCustomer(customer)
                .addItem(SubscriptionCreateParams.Item.builder().setPrice(seat).setQuantity(5L).build()).build(), keyed))
                .isInstanceOf(IdempotencyException.class);
        assertThat(sim.subscriptions()).hasSize(1);
    }

    @Test
    void unknownCustomersAndPricesAndMixedCurrenciesAreRefusedAsStripeDoes() throws Exception {
        String customer = stripe.v1().customers().create(CustomerCreateParams.builder().setName("Acme").build()).getId();
        String jpy = price("SKU-A", "jpy", 100);
        String usd = price("SKU-B", "usd", 100);

        assertThatThrownBy(() -> subscribe("cus_missing", jpy)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("No such customer");
        assertThatThrownBy(() -> subscribe(customer, "price_missing")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("No such price");
        assertThatThrownBy(() -> subscribe(customer, jpy, usd)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("same `currency`");
        assertThat(sim.subscriptions()).isEmpty();
        assertThat(created).isEmpty();
    }

    private Subscription subscribe(String customer, String... prices) throws Exception {
        SubscriptionCreateParams.Builder params = SubscriptionCreateParams.builder().setCustomer(customer);
        for (String price : prices) {
            params.addItem(SubscriptionCreateParams.Item.builder().setPrice(price).setQuantity(1L).build());
        }
        return stripe.v1().subscriptions().create(params.build());
    }

    private String price(String sku, String currency, long unitAmount) throws Exception {
        String product = stripe.v1().products().create(ProductCreateParams.builder().setName(sku).putMetadata("sku", sku).build()).getId();
        return stripe.v1().prices().create(PriceCreateParams.builder().setProduct(product).setCurrency(currency)
                .setUnitAmount(unitAmount).putMetadata("sku", sku)
                .setRecurring(PriceCreateParams.Recurring.builder().setInterval(PriceCreateParams.Recurring.Interval.MONTH).build())
                .build()).getId();
    }
}
