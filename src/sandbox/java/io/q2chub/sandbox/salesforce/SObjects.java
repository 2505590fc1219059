package io.q2chub.sandbox.salesforce;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every sObject type's records in the org, by type name. Accounts stay in the org's own store (change events). */
final class SObjects {

    private final Map<String, SObjectTable> tables = new LinkedHashMap<>();

    SObjects(SimulatedOrg org) {
        for (SObjectType type : SObjectType.all()) {
            tables.put(type.name(), type == SObjectType.ACCOUNT ? new AccountTable(org)
                    : type.name().equals("Order") ? new ChangeEventTable(type, org.orderEvents())
                    : type.name().equals("Opportunity") ? new ChangeEventTable(type, org.opportunityEvents()) : new RecordTable(type));
        }
    }

    Optional<SObjectTable> table(String typeName) {
        return Optional.ofNullable(tables.get(typeName));
    }

    SObjectTable table(SObjectType type) {
        return tables.get(type.name());
    }

    List<Map<String, Object>> records(String typeName) {
        return table(typeName).map(SObjectTable::all).orElseThrow(() -> new IllegalArgumentException("no sObject type " + typeName));
    }

    /** Forgets every record but the accounts, which the org's own reset clears. */
    void clear() {
        tables.values().stream().filter(RecordTable.class::isInstance).map(RecordTable.class::cast).forEach(RecordTable::clear);
        tables.values().stream().filter(ChangeEventTable.class::isInstance).map(ChangeEventTable.class::cast)
                .forEach(ChangeEventTable::clear);
    }
}
