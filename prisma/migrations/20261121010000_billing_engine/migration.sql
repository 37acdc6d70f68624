-- The billing engine: a movable billing clock, the processor's customer per account, invoice
-- numbers, and at most one live subscription per account.

CREATE TABLE billing_clock (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  offset_ms bigint NOT NULL DEFAULT 0,
  updated_at timestamptz(3) NOT NULL DEFAULT now()
);

ALTER TABLE billing_accounts ADD COLUMN processor_customer_ref text;

CREATE SEQUENCE invoice_number_seq;

CREATE UNIQUE INDEX subscriptions_one_live_per_account ON subscriptions (account_id)
  WHERE status IN ('active', 'past_due');

CREATE INDEX threshold_charges_unpaid_idx ON threshold_charges (account_id) WHERE payment_id IS NULL;
CREATE INDEX usage_daily_day_idx ON usage_daily (day);
