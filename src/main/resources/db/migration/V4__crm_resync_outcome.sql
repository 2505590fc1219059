-- What a finished re-sync did: when it completed and how many records it re-published, so an operator can see the
-- gap was closed (and how large it was) without reading logs.
ALTER TABLE crm_resync_request ADD COLUMN completed_at TIMESTAMPTZ;
ALTER TABLE crm_resync_request ADD COLUMN resynced_records INTEGER;
-- Why the last attempt of a still open re-sync failed (Salesforce unavailable, API budget spent): it is retried on
-- the next run, so the reason lives on the request instead of in one parked case per attempt.
ALTER TABLE crm_resync_request ADD COLUMN last_error TEXT;
