-- Exception cases get an owning team by rule (q2c.exceptions.team.*) when they are parked. It is not the owner
-- column: owner is whoever a person assigned the case to (a team or a person, POST .../assign) and stays empty
-- until then, while team is what the rules said and what notifications are routed by.
ALTER TABLE exception_case ADD COLUMN team TEXT;
CREATE INDEX exception_case_team ON exception_case (team, status);

-- The configured PII fields of a parked JSON payload, encrypted one by one (AES-GCM) and keyed by JSON pointer,
-- e.g. {"/email": "v1:..."}. The payload column holds "[ENCRYPTED]" in their place; replay puts them back.
ALTER TABLE exception_case ADD COLUMN encrypted_pii JSONB;

-- Backlog alerts that were raised and not yet cleared: one row per (kind, capability), so a threshold or age
-- crossing is notified once, not on every check, and not once per replica or again after a restart.
CREATE TABLE exception_alert (
    alert_key  TEXT        PRIMARY KEY,
    raised_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
