package io.q2chub.sandbox.netsuite;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A OneWorld subsidiary: every customer belongs to one, and its currency must be one the subsidiary allows.
 * Ids are NetSuite internal ids (strings on the wire).
 */
record Subsidiary(String id, String name, String baseCurrencyId, Set<String> currencyIds, String receivablesAccountId) {

    /** Currency records of the sandbox account: internal id → ISO code (the first four are NetSuite's defaults). */
    static final Map<String, String> CURRENCIES = Map.of(
            "1", "USD", "2", "GBP", "3", "CAD", "4", "EUR", "5", "JPY", "6", "KWD");

    /** The sandbox account's subsidiaries; each also allows USD, as a US-parented OneWorld account usually does. */
    static final List<Subsidiary> SANDBOX = List.of(
            new Subsidiary("1", "US01", "1", Set.of("1"), "121"),
            new Subsidiary("2", "DE01", "4", Set.of("4", "1"), "221"),
            new Subsidiary("3", "JP01", "5", Set.of("5", "1"), "321"),
            new Subsidiary("4", "KW01", "6", Set.of("6", "1"), "421"),
            new Subsidiary("5", "GB01", "2", Set.of("2", "4", "1"), "521"),
            // Set up in the account but in no hub configuration: the "missing mapping" an operator adds at run time.
            new Subsidiary("6", "IE01", "4", Set.of("4", "1"), "621"));
}
