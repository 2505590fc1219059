package io.q2chub.canonical;

import java.util.Objects;

/** A sellable item of the catalogue. {@code sku} is the key the CRM, billing and ERP catalogues share. */
public record Product(String id, String sku, String name, ProductKind kind) {

    public Product {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sku, "sku");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }
}
