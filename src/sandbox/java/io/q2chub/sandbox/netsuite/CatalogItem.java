package io.q2chub.sandbox.netsuite;

import java.util.List;

/**
 * An item of the sandbox account's catalogue, as REST exposes it under its record type (serviceSaleItem,
 * nonInventorySaleItem). SUPPORT-PREM exists in the account but in no hub configuration: the missing item mapping an
 * operator adds at run time.
 */
record CatalogItem(String id, String itemId, String recordType) {

    static final List<CatalogItem> SANDBOX = List.of(
            new CatalogItem("501", "PLAT-SUB", "serviceSaleItem"),
            new CatalogItem("502", "API-CALLS", "serviceSaleItem"),
            new CatalogItem("503", "PRO-SVC", "serviceSaleItem"),
            new CatalogItem("504", "SUPPORT-PREM", "nonInventorySaleItem"));

    /** SuiteTax tax codes of the sandbox account: internal id → name. */
    static final java.util.Map<String, String> TAX_CODES = java.util.Map.of(
            "11", "US-CA 7.25", "12", "US-CA-SF 1.375", "13", "US-NY 4", "14", "US demo 10", "21", "DE VAT 19",
            "31", "JP CT 10", "41", "KW 5", "42", "KW demo 10", "51", "GB VAT 20");
}
