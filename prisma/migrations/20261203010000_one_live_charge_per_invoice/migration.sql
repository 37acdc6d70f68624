-- At most one charge of an invoice is in flight or has succeeded, whatever asked for it (the
-- month-end job, a renewal, "Pay online" in two tabs, a retried subscribe): the row that claims
-- the charge is inserted and committed before the processor is called, and this index refuses a
-- second claim. A failed charge frees the invoice for the next attempt.
CREATE UNIQUE INDEX payments_one_live_charge_per_invoice ON payments (invoice_id)
  WHERE kind = 'invoice_charge' AND status IN ('pending', 'succeeded');
