package io.q2chub.sandbox.salesforce;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The Avro schema Salesforce serves for {@code /data/AccountChangeEvent}: a {@code ChangeEventHeader} record, then
 * every Account field as an optional value. Field data is present only for fields that changed (or, on CREATE,
 * were set); GAP_* events carry the header alone, so a subscriber must re-fetch the record.
 */
public final class AccountChangeEventSchema {

    /** Account fields the simulator carries in change events, in schema order. */
    public static final List<String> FIELDS = List.of("Name", "Type", "ParentId", "BillingCountry", "CurrencyIsoCode",
            "Tax_Id__c", "Legal_Entity__c", "ERP_Id__c", "Billing_Id__c", "Sync_Status__c", "Sync_Message__c",
            "MasterRecordId");

    public static final Schema SCHEMA = build("AccountChangeEvent", FIELDS);

    /** Salesforce schema ids are opaque strings; a stable one lets subscribers cache the schema. */
    public static final String SCHEMA_ID = "sim-AccountChangeEvent-1";

    private AccountChangeEventSchema() {
    }

    /** A change event schema of Salesforce's shape: the header, then every field as an optional string. */
    static Schema build(String recordName, List<String> fieldNames) {
        return new Schema.Parser().parse(json(recordName, fieldNames));
    }

    private static String json(String recordName, List<String> fieldNames) {
        StringBuilder fields = new StringBuilder();
        for (String field : fieldNames) {
            fields.append(",\n{\"name\":\"").append(field).append("\",\"type\":[\"null\",\"string\"],\"default\":null}");
        }
        return """
                {"type":"record","name":"RECORD_NAME","namespace":"com.sforce.eventbus","fields":[
                {"name":"ChangeEventHeader","type":{"type":"record","name":"ChangeEventHeader","fields":[
                  {"name":"entityName","type":"string"},
                  {"name":"recordIds","type":{"type":"array","items":"string"}},
                  {"name":"changeType","type":{"type":"enum","name":"ChangeType","symbols":
                    ["CREATE","DELETE","UNDELETE","UPDATE","GAP_CREATE","GAP_DELETE","GAP_UNDELETE","GAP_UPDATE","GAP_OVERFLOW"]}},
                  {"name":"changeOrigin","type":"string"},
                  {"name":"transactionKey","type":"string"},
                  {"name":"sequenceNumber","type":"int"},
                  {"name":"commitTimestamp","type":"long"},
                  {"name":"commitNumber","type":"long"},
                  {"name":"commitUser","type":"string"},
                  {"name":"nulledFields","type":{"type":"array","items":"string"}},
                  {"name":"diffFields","type":{"type":"array","items":"string"}},
                  {"name":"changedFields","type":{"type":"array","items":"string"}}]}}"""
                .replace("RECORD_NAME", recordName) + fields + "]}";
    }
}
