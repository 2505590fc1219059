package io.q2chub.sandbox.salesforce;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The Avro schema of {@code /data/OrderChangeEvent}: the same header as every change event, then the Order's own
 * fields. As in Salesforce, an Order change event carries no OrderItem data: a subscriber reads the items over REST.
 * The OpportunityChangeEvent schema lives here too (no OpportunityLineItem data either).
 */
public final class OrderChangeEventSchema {

    public static final List<String> FIELDS = List.of("AccountId", "OpportunityId", "Status", "EffectiveDate", "EndDate",
            "CurrencyIsoCode", "Pricebook2Id", "Billing_Subscription_Id__c", "Sync_Status__c", "Sync_Message__c");

    public static final Schema SCHEMA = AccountChangeEventSchema.build("OrderChangeEvent", FIELDS);

    public static final String SCHEMA_ID = "sim-OrderChangeEvent-1";

    /** Opportunity fields in OpportunityChangeEvent; a closed-won opportunity has StageName 'Closed Won'. */
    public static final List<String> OPPORTUNITY_FIELDS = List.of("Name", "StageName", "CloseDate", "Amount", "AccountId",
            "CurrencyIsoCode");

    public static final Schema OPPORTUNITY_SCHEMA = AccountChangeEventSchema.build("OpportunityChangeEvent", OPPORTUNITY_FIELDS);

    public static final String OPPORTUNITY_SCHEMA_ID = "sim-OpportunityChangeEvent-1";

    private OrderChangeEventSchema() {
    }
}
