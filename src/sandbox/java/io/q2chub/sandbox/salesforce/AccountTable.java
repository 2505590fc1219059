package io.q2chub.sandbox.salesforce;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Accounts as the REST API sees them: a view over the org's own account store, so every REST write still
 * publishes its AccountChangeEvent.
 */
final class AccountTable implements SObjectTable {

    private final SimulatedOrg org;

    AccountTable(SimulatedOrg org) {
        this.org = org;
    }

    @Override
    public SObjectType type() {
        return SObjectType.ACCOUNT;
    }

    @Override
    public String create(Map<String, ?> fields) {
        return org.create(fields);
    }

    @Override
    public void update(String id, Map<String, ?> changes) {
        org.update(id, changes);
    }

    @Override
    public void delete(String id) {
        org.delete(id);
    }

    @Override
    public Optional<Map<String, Object>> live(String id) {
        return org.live(id);
    }

    @Override
    public Optional<Map<String, Object>> any(String id) {
        return org.any(id);
    }

    @Override
    public List<String> matching(String field, Object value) {
        return org.accounts().stream()
                .filter(a -> !Boolean.TRUE.equals(a.get("IsDeleted")) && Objects.equals(String.valueOf(value), str(a.get(field))))
                .map(a -> (String) a.get("Id")).sorted().toList();
    }

    @Override
    public List<Map<String, Object>> all() {
        return org.accounts();
    }

    private static String str(Object v) {
        return v == null ? null : String.valueOf(v);
    }
}
