-- Operational state of the hub. One table per concern, each with the unique constraint that makes its writes
-- idempotent: callers insert-if-absent in one statement instead of check-then-insert.

-- The same business object in each system: (system, type, external id) <-> canonical id, unique both ways.
CREATE TABLE xref (
    system        TEXT        NOT NULL,
    object_type   TEXT        NOT NULL,
    external_id   TEXT        NOT NULL,
    canonical_id  TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT xref_external UNIQUE (system, object_type, external_id),
    CONSTRAINT xref_canonical UNIQUE (system, object_type, canonical_id)
);

-- Keys seen by each idempotent consumer. PROCESSING rows carry a lease so that a key orphaned by a crash is
-- taken over once the lease ends instead of blocking its message forever.
CREATE TABLE idempotency_key (
    consumer      TEXT        NOT NULL,
    message_key   TEXT        NOT NULL,
    status        TEXT        NOT NULL CHECK (status IN ('PROCESSING', 'DONE')),
    first_seen    TIMESTAMPTZ NOT NULL DEFAULT now(),
    claimed_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    claims        INTEGER     NOT NULL DEFAULT 1,
    CONSTRAINT idempotency_key_pk PRIMARY KEY (consumer, message_key)
);

-- Failures that left a capability. The same failure of the same business key while still open is one case
-- with a count, not a flood.
CREATE TABLE exception_case (
    id              BIGSERIAL   PRIMARY KEY,
    fingerprint     TEXT        NOT NULL,
    capability      TEXT        NOT NULL,
    system          TEXT        NOT NULL,
    business_key    TEXT,
    event_id        TEXT,
    event_type      TEXT,
    failure_class   TEXT        NOT NULL CHECK (failure_class IN ('TRANSIENT', 'BUSINESS', 'POISON', 'SECURITY')),
    error_code      TEXT        NOT NULL,
    error_message   TEXT        NOT NULL,
    payload         BYTEA,
    headers         JSONB       NOT NULL DEFAULT '{}'::jsonb,
    source_topic    TEXT,
    source_partition INTEGER,
    source_offset   BIGINT,
    occurrences     INTEGER     NOT NULL DEFAULT 1,
    status          TEXT        NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'REPLAYING', 'RESOLVED', 'DISCARDED')),
    first_seen      TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX exception_case_active ON exception_case (fingerprint) WHERE status IN ('OPEN', 'REPLAYING');
CREATE INDEX exception_case_status ON exception_case (status, failure_class, capability);

-- Milestones of business transactions (quote-to-cash chains), one row per canonical event recorded.
CREATE TABLE ledger_milestone (
    id               BIGSERIAL   PRIMARY KEY,
    transaction_key  TEXT        NOT NULL,
    milestone        TEXT        NOT NULL,
    business_key     TEXT,
    event_id         TEXT        NOT NULL,
    source           TEXT        NOT NULL,
    occurred_at      TIMESTAMPTZ NOT NULL,
    recorded_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX ledger_milestone_transaction ON ledger_milestone (transaction_key, occurred_at);
CREATE INDEX ledger_milestone_business_key ON ledger_milestone (business_key);
