package io.q2chub.faults;

import io.q2chub.sandbox.netsuite.Transaction;
import io.q2chub.sandbox.stripe.StoredCustomer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The source events of the suite (invoices issued in the Stripe simulator, each one webhook) and where each one
 * ended: applied in NetSuite (the ERP document keyed by the canonical invoice id the hub linked to the Stripe id),
 * or parked as an exception case. Invoices of an unmapped SKU are issued on purpose: they must end parked.
 */
final class InvoiceBook {

    /** A SKU the NetSuite account has but the hub has no item mapping for: parked as NETSUITE_UNMAPPED_ITEM. */
    static final String UNMAPPED_SKU = "SUPPORT-PREM";

    private final FaultWorld world;
    private final Set<String> issued = ConcurrentHashMap.newKeySet();
    private final Set<String> meantToPark = ConcurrentHashMap.newKeySet();
    private int sequence;

    InvoiceBook(FaultWorld world) {
        this.world = world;
    }

    /** Issues {@code count} invoices across the onboarded customers; every {@code parkEvery}-th one is unpostable. */
    synchronized List<String> issue(int count, int parkEvery) {
        List<StoredCustomer> customers = world.stripe.customers();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sequence++;
            boolean park = parkEvery > 0 && sequence % parkEvery == 0;
            String sku = park ? UNMAPPED_SKU : "PLAT-SUB";
            String json = """
                    {"customer":"%s","currency":"usd","lines":[{"description":"Platform","quantity":1,"unitAmount":%d,
                     "sku":"%s","periodStart":1798761600,"periodEnd":1830297600,
                     "tax":{"percentage":"4","jurisdiction":"US-NY"}}]}"""
                    .formatted(customers.get(sequence % customers.size()).id(), 10_000 + sequence * 100, sku);
            String id = (String) world.stripe.createInvoice(json).get("id");
            issued.add(id);
            if (park) {
                meantToPark.add(id);
            }
            ids.add(id);
        }
        return ids;
    }

    Set<String> issued() {
        return Set.copyOf(issued);
    }

    Set<String> meantToPark() {
        return Set.copyOf(meantToPark);
    }

    /** Stripe invoice id → canonical invoice id, as the hub linked them (absent until the webhook got through). */
    Map<String, String> canonicalIds() {
        Map<String, String> ids = new java.util.HashMap<>();
        try (Connection c = world.sql(); PreparedStatement ps = c.prepareStatement(
                "SELECT external_id, canonical_id FROM xref WHERE system = 'stripe' AND object_type = 'invoice'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.put(rs.getString(1), rs.getString(2));
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    /** How many NetSuite invoices carry the canonical id of each Stripe invoice. */
    Map<String, Long> applied(Collection<String> stripeIds) {
        Map<String, String> canonical = canonicalIds();
        Map<String, Long> perExternalId = world.netsuite.transactions().stream()
                .filter(t -> "invoice".equals(t.type()) && t.externalId() != null)
                .collect(Collectors.groupingBy(Transaction::externalId, Collectors.counting()));
        return stripeIds.stream().collect(Collectors.toMap(Function.identity(),
                id -> Optional.ofNullable(canonical.get(id)).map(c -> perExternalId.getOrDefault(c, 0L)).orElse(0L)));
    }

    /** The NetSuite invoice of a Stripe invoice, if posted. */
    Optional<Transaction> erpInvoice(String stripeId) {
        return Optional.ofNullable(canonicalIds().get(stripeId)).flatMap(world.netsuite::invoice);
    }

    /** Stripe invoices with an open exception case: business key, or the parked payload naming the Stripe id. */
    Set<String> parked(Collection<String> stripeIds) {
        Map<String, String> canonical = canonicalIds();
        List<String[]> cases = new ArrayList<>();
        try (Connection c = world.sql(); PreparedStatement ps = c.prepareStatement(
                "SELECT coalesce(business_key, ''), coalesce(convert_from(payload, 'UTF8'), '') FROM exception_case"
                        + " WHERE status IN ('OPEN', 'REPLAYING')");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                cases.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return stripeIds.stream().filter(id -> cases.stream().anyMatch(k -> k[0].equals(id) || k[1].contains(id)
                || (canonical.containsKey(id) && k[0].equals(canonical.get(id))))).collect(Collectors.toSet());
    }

    /** Every source invoice applied exactly once or parked (and the planted ones parked). */
    boolean settled(Collection<String> stripeIds) {
        Map<String, Long> applied = applied(stripeIds);
        Set<String> parked = parked(stripeIds);
        return stripeIds.stream().allMatch(id -> applied.get(id) == 1 || parked.contains(id));
    }

    /** ERP documents held more than once under one external id, or without one: must stay empty. */
    List<String> ledgerDuplicates() {
        List<String> duplicates = new ArrayList<>();
        world.netsuite.transactions().stream()
                .collect(Collectors.groupingBy(t -> t.type() + "/" + t.externalId(), Collectors.counting()))
                .forEach((key, n) -> {
                    if (n > 1 || key.endsWith("/null")) {
                        duplicates.add(key + " x" + n);
                    }
                });
        return duplicates;
    }

    /** Total writes NetSuite received for the invoices it holds. */
    int erpWrites() {
        return world.netsuite.transactions().stream().mapToInt(Transaction::writes).sum();
    }
}
