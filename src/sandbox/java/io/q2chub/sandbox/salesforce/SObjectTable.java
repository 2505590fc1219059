package io.q2chub.sandbox.salesforce;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The records of one sObject type. Deleted records stay, flagged IsDeleted, as in Salesforce's recycle bin. */
interface SObjectTable {

    SObjectType type();

    String create(Map<String, ?> fields);

    void update(String id, Map<String, ?> changes);

    void delete(String id);

    /** The record unless it does not exist or is deleted. */
    Optional<Map<String, Object>> live(String id);

    /** The record, deleted or not. */
    Optional<Map<String, Object>> any(String id);

    /** Ids of the live records whose field holds the value; more than one is what upsert answers 300 for. */
    List<String> matching(String field, Object value);

    /** Copies of every record. */
    List<Map<String, Object>> all();
}
