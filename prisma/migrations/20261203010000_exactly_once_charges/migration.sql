-- At most one charge of an invoice is in flight or has succeeded, whatever asked for it (the
-- month-end job, a renewal, "Pay online" in two tabs, a retried subscribe): the row that claims
-- the charge is inserted and committed before the processor is called, and this index refuses a
-- second claim. A failed charge frees the invoice for the next attempt.
CREATE UNIQUE INDEX payments_one_live_charge_per_invoice ON payments (invoice_id)
  WHERE kind = 'invoice_charge' AND status IN ('pending', 'succeeded');

-- The local processor's own books (what it captured and held), for the money conservation check.
CREATE TABLE local_processor_entries (
  idempotency_key text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('charge', 'hold', 'release')),
  customer_ref text NOT NULL,
  amount_cents integer NOT NULL,
  ref text NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX local_processor_entries_customer_ref_idx ON local_processor_entries (customer_ref);

-- A card is saved once per account: two tabs adding it at once save it once, and its $10
-- check is keyed by the card, so it is held once. Cards saved before this have no fingerprint.
ALTER TABLE payment_methods ADD COLUMN fingerprint text;
CREATE UNIQUE INDEX payment_methods_one_live_card ON payment_methods (account_id, fingerprint)
  WHERE removed_at IS NULL AND fingerprint IS NOT NULL;
