-- Where each billing document (invoice, credit note) stands on the bus. Stripe delivers webhooks unordered: an
-- invoice.finalized arriving after its invoice.voided must not publish the invoice over its void. stage only ever
-- grows: 1 = issued (INVOICE or CREDIT_NOTE published), 2 = voided (VOID published).
CREATE TABLE billing_document_progress (
    system      text        NOT NULL,
    document_id text        NOT NULL,
    stage       smallint    NOT NULL,
    event_id    text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (system, document_id)
);
