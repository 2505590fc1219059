-- Exception cases become a work queue people act on: who owns a case, why it was discarded, and an audit trail of
-- every state change with the actor (the hub itself for parking and resolution, the authenticated user otherwise).
ALTER TABLE exception_case ADD COLUMN owner TEXT;
ALTER TABLE exception_case ADD COLUMN discard_reason TEXT;

CREATE TABLE exception_case_history (
    id        BIGSERIAL   PRIMARY KEY,
    case_id   BIGINT      NOT NULL REFERENCES exception_case (id),
    at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor     TEXT        NOT NULL,
    action    TEXT        NOT NULL CHECK (action IN ('PARKED', 'REPLAYED', 'RESOLVED', 'DISCARDED', 'ASSIGNED', 'EDITED')),
    detail    TEXT
);
CREATE INDEX exception_case_history_case ON exception_case_history (case_id, at);
-- The inbox lists by age and searches by business key.
CREATE INDEX exception_case_last_seen ON exception_case (last_seen);
CREATE INDEX exception_case_business_key ON exception_case (business_key);
