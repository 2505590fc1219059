-- Outbox of sync outcomes to write back to the CRM. Capabilities add a row in their own step; a scheduled route
-- sends up to 200 rows per CRM call (sObject Collections) and removes what was sent. One row per account: a
-- newer outcome replaces an unsent older one.
CREATE TABLE crm_write_back (
    account_id   TEXT        PRIMARY KEY,
    erp_id       TEXT,
    billing_id   TEXT,
    status       TEXT        NOT NULL,
    message      TEXT,
    enqueued_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX crm_write_back_age ON crm_write_back (enqueued_at);
