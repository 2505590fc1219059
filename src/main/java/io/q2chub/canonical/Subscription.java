package io.q2chub.canonical;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * A subscription in the billing platform: what is billed to whom, for which period.
 *
 * @param contractId null for a self-service subscription that never had a CRM contract
 * @param currentPeriodEnd exclusive, as billing platforms define periods
 */
public record Subscription(
        String id,
        String contractId,
        String customerId,
        Status status,
        LocalDate currentPeriodStart,
        LocalDate currentPeriodEnd,
        List<Item> items) {

    public enum Status {
        TRIALING,
        ACTIVE,
        PAST_DUE,
        PAUSED,
        CANCELED
    }

    /** @param unitPrice null for usage items priced by tiers in the billing platform */
    public record Item(String productId, BigDecimal quantity, Money unitPrice) {
        public Item {
            Objects.requireNonNull(productId, "productId");
            Objects.requireNonNull(quantity, "quantity");
        }
    }

    public Subscription {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(currentPeriodStart, "currentPeriodStart");
        Objects.requireNonNull(currentPeriodEnd, "currentPeriodEnd");
        items = items == null ? List.of() : List.copyOf(items);
    }
}
