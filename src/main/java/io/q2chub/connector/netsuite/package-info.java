/**
 * The ERP role on NetSuite (REST Record API, Token-Based Authentication). {@link
 * io.q2chub.connector.netsuite.NetSuiteErp} is the bean {@code netsuite}; {@link
 * io.q2chub.connector.netsuite.RecordApiClient} holds the account's concurrency budget and absorbs 429s;
 * {@link io.q2chub.connector.netsuite.NetSuiteError} turns NetSuite's error bodies into the project's failures.
 * The simulator that tests it lives in {@code src/sandbox} ({@code io.q2chub.sandbox.netsuite}).
 */
package io.q2chub.connector.netsuite;
