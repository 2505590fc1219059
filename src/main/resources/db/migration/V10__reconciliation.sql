-- Reconciliation runs (issue 6): for a time window, the billing, ERP and CRM views compared, and each discrepancy
-- found. A run is kept as a report finance reads (JSON, CSV) through /api/reconciliations.
CREATE TABLE reconciliation_run (
    id            bigserial   PRIMARY KEY,
    window_from   timestamptz NOT NULL,
    window_to     timestamptz NOT NULL,
    trigger       text        NOT NULL,           -- schedule | api
    heal          boolean     NOT NULL DEFAULT false,
    status        text        NOT NULL,           -- RUNNING | COMPLETED | FAILED
    billing_count integer     NOT NULL DEFAULT 0, -- documents compared per view
    erp_count     integer     NOT NULL DEFAULT 0,
    crm_count     integer     NOT NULL DEFAULT 0,
    healed        integer     NOT NULL DEFAULT 0, -- events re-emitted by heal mode
    message       text,
    started_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz
);

-- Amounts in minor units of their currency (exact, as canonical Money); null where a view has no record.
CREATE TABLE reconciliation_discrepancy (
    id                   bigserial PRIMARY KEY,
    run_id               bigint    NOT NULL REFERENCES reconciliation_run (id) ON DELETE CASCADE,
    kind                 text      NOT NULL,
    document_id          text      NOT NULL,     -- canonical id, else the id in the system that holds it
    billing_id           text,
    erp_id               text,
    crm_id               text,
    currency             text,
    billing_amount_minor bigint,
    erp_amount_minor     bigint,
    billing_status       text,
    erp_status           text,
    detail               text      NOT NULL,
    healed               boolean   NOT NULL DEFAULT false,
    exception_case_id    bigint
);
CREATE INDEX reconciliation_discrepancy_run ON reconciliation_discrepancy (run_id);
CREATE INDEX reconciliation_run_finished ON reconciliation_run (finished_at DESC);
