package io.q2chub.sandbox.salesforce;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One sObject type the simulated org knows: its key prefix (the first three characters of every id, which
 * Salesforce fixes per type), the fields that exist on it, the fields Salesforce refuses to create a record without,
 * and the fields marked as External ID (the only ones upsert accepts).
 */
record SObjectType(String name, String keyPrefix, Set<String> fields, List<String> required, Set<String> externalIds) {

    static final SObjectType ACCOUNT = new SObjectType("Account", "001", union(SimulatedOrg.WRITABLE, "Q2C_Customer_Id__c"),
            List.of("Name"), Set.of("Q2C_Customer_Id__c", "ERP_Id__c", "Billing_Id__c"));

    private static final Map<String, SObjectType> ALL = index(
            ACCOUNT,
            new SObjectType("Contact", "003",
                    Set.of("FirstName", "LastName", "Email", "Phone", "AccountId", "Q2C_Contact_Id__c"),
                    List.of("LastName"), Set.of("Q2C_Contact_Id__c")),
            new SObjectType("Opportunity", "006",
                    Set.of("Name", "StageName", "CloseDate", "Amount", "AccountId", "CurrencyIsoCode", "Q2C_Opportunity_Id__c"),
                    List.of("Name", "StageName", "CloseDate"), Set.of("Q2C_Opportunity_Id__c")),
            new SObjectType("Order", "801",
                    Set.of("AccountId", "EffectiveDate", "EndDate", "Status", "OpportunityId", "Pricebook2Id",
                            "CurrencyIsoCode", "ERP_Id__c", "Q2C_Order_Id__c", "Billing_Subscription_Id__c",
                            "Sync_Status__c", "Sync_Message__c", "Invoice_Status__c", "ERP_Invoice_Number__c",
                            "ERP_Invoice_Id__c", "Billing_Invoice_Id__c"),
                    List.of("AccountId", "EffectiveDate", "Status"), Set.of("ERP_Id__c", "Q2C_Order_Id__c")),
            new SObjectType("OrderItem", "802",
                    Set.of("OrderId", "Product2Id", "PricebookEntryId", "Quantity", "UnitPrice", "ServiceDate", "EndDate"),
                    List.of("OrderId", "PricebookEntryId", "Quantity", "UnitPrice"), Set.of()),
            new SObjectType("Product2", "01t",
                    Set.of("Name", "ProductCode", "Description", "IsActive", "Family", "Q2C_Product_Id__c"),
                    List.of("Name"), Set.of("Q2C_Product_Id__c")),
            new SObjectType("PricebookEntry", "01u",
                    Set.of("Pricebook2Id", "Product2Id", "UnitPrice", "IsActive", "CurrencyIsoCode", "Q2C_Price_Id__c"),
                    List.of("Pricebook2Id", "Product2Id", "UnitPrice"), Set.of("Q2C_Price_Id__c")));

    static Optional<SObjectType> named(String name) {
        return Optional.ofNullable(ALL.get(name));
    }

    /** The type an id belongs to, read from its key prefix, as Salesforce itself resolves ids. */
    static Optional<SObjectType> ofId(String id) {
        return id == null || id.length() < 3 ? Optional.empty()
                : ALL.values().stream().filter(t -> id.startsWith(t.keyPrefix())).findFirst();
    }

    static List<SObjectType> all() {
        return List.copyOf(ALL.values());
    }

    private static Map<String, SObjectType> index(SObjectType... types) {
        Map<String, SObjectType> byName = new LinkedHashMap<>();
        for (SObjectType t : types) {
            byName.put(t.name(), t);
        }
        return Map.copyOf(byName);
    }

    private static Set<String> union(Set<String> fields, String extra) {
        Set<String> all = new LinkedHashSet<>(fields);
        all.add(extra);
        return Set.copyOf(all);
    }
}
