-- What a finished re-sync did: when it completed and how many records it re-published, so an operator can see the
-- gap was closed (and how large it was) without reading logs.
ALTER TABLE crm_resync_request ADD COLUMN completed_at TIMESTAMPTZ;
ALTER TABLE crm_resync_request ADD COLUMN resynced_records INTEGER;
