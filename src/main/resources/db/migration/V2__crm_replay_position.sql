-- Where each CRM event subscription stands: the replay id of the last event durably published to the bus, so a
-- restart resumes right after it instead of at "latest" (which would lose what happened while the hub was down).
-- Replay ids are opaque bytes, stored as the base64 text the Pub/Sub consumer hands over and takes back.
CREATE TABLE crm_replay_position (
    subscription  TEXT        PRIMARY KEY,
    replay_id     TEXT        NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A subscription whose stored replay id the CRM refused (expired or corrupted): the events in between are lost to
-- the event stream and the records must be re-synchronised from the CRM's API. One open request per subscription,
-- counting how often the refusal was seen.
CREATE TABLE crm_resync_request (
    id                 BIGSERIAL   PRIMARY KEY,
    subscription       TEXT        NOT NULL,
    rejected_replay_id TEXT,
    reason             TEXT        NOT NULL,
    occurrences        INTEGER     NOT NULL DEFAULT 1,
    status             TEXT        NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'DONE')),
    requested_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX crm_resync_request_open ON crm_resync_request (subscription) WHERE status = 'OPEN';
