-- A milestone is recorded once per event: a redelivery after a failure further down the ledger route (its
-- idempotent key is removed on failure) must not record it, nor observe its stage time, twice.
DELETE FROM ledger_milestone a USING ledger_milestone b WHERE a.event_id = b.event_id AND a.id > b.id;
CREATE UNIQUE INDEX ledger_milestone_event ON ledger_milestone (event_id);

-- The customer a milestone is about (contract, subscription, invoice and payment events name it): the chain view
-- shows the customer's onboarding and its ids in each system, though onboarding is a chain of its own.
ALTER TABLE ledger_milestone ADD COLUMN customer_id TEXT;
