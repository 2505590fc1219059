package io.q2chub.sandbox.salesforce;

/**
 * How a simulated org is set up: the connected app's client credentials and the org's daily API budget.
 */
public record Settings(String clientId, String clientSecret, int dailyLimit) {

    /** Credentials a local hub can use as-is; not secrets, nothing real accepts them. */
    public static Settings defaults() {
        return new Settings("q2c-sim-client", "q2c-sim-secret", 100_000);
    }

    public Settings withDailyLimit(int limit) {
        return new Settings(clientId, clientSecret, limit);
    }
}
