-- Usage events partitioned by UTC month, so a month's events are one table: scanned alone by a
-- month's close and reconciliation, and dropped whole when retention ends (no mass DELETE).
--
-- A partitioned table's unique keys must contain the partition key, so the "an id counts once,
-- forever" rule moves to usage_event_ids, keyed by id alone. The events' primary key leads with
-- account_id: it serves every per-account range read, and it is the distribution column on
-- Citus (docs/scaling.md).

ALTER TABLE usage_events RENAME TO usage_events_unpartitioned;
ALTER TABLE usage_events_unpartitioned RENAME CONSTRAINT usage_events_pkey TO usage_events_unpartitioned_pkey;
ALTER TABLE usage_events_unpartitioned RENAME CONSTRAINT usage_events_billed_parts TO usage_events_unpartitioned_billed_parts;
ALTER INDEX usage_events_account_id_occurred_at_idx RENAME TO usage_events_unpartitioned_account_idx;

CREATE TABLE usage_events (
  id text NOT NULL,
  account_id uuid NOT NULL REFERENCES billing_accounts(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  provider_id text NOT NULL REFERENCES providers(id),
  model_id text NOT NULL REFERENCES models(id),
  mode "BillingMode" NOT NULL,
  input_tokens integer NOT NULL DEFAULT 0 CHECK (input_tokens >= 0),
  output_tokens integer NOT NULL DEFAULT 0 CHECK (output_tokens >= 0),
  compute_ms integer NOT NULL DEFAULT 0 CHECK (compute_ms >= 0),
  hardware text,
  cost_nano bigint NOT NULL CHECK (cost_nano >= 0),
  credits_nano bigint NOT NULL DEFAULT 0 CHECK (credits_nano >= 0),
  payg_nano bigint NOT NULL DEFAULT 0 CHECK (payg_nano >= 0),
  occurred_at timestamptz(3) NOT NULL,
  recorded_at timestamptz(3) NOT NULL DEFAULT now(),
  -- a custom-key request bills nothing; a routed one bills exactly its cost
  CONSTRAINT usage_events_billed_parts CHECK (
    (mode = 'custom_key' AND credits_nano = 0 AND payg_nano = 0) OR
    (mode = 'routed' AND credits_nano + payg_nano = cost_nano)
  ),
  PRIMARY KEY (account_id, occurred_at, id)
) PARTITION BY RANGE (occurred_at);

-- Every request id ever recorded, and where its event is. No foreign key: an id stays taken
-- even if its account is deleted, and the hot insert path pays for no trigger.
CREATE TABLE usage_event_ids (
  id text PRIMARY KEY,
  account_id uuid NOT NULL,
  occurred_at timestamptz(3) NOT NULL
);
-- Ids arrive roughly in time order, so a BRIN index finds a month's ids (when retention drops
-- the month) at next to no cost per insert.
CREATE INDEX usage_event_ids_occurred_at_idx ON usage_event_ids USING brin (occurred_at);

-- The partition for the UTC month starting at `month`, created unless it exists. Creating one
-- locks the parent, so a concurrent creator of the same month waits, then finds it: not an error.
CREATE FUNCTION usage_events_ensure_month(month date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  first date := date_trunc('month', month)::date;
  name text := format('usage_events_%s', to_char(first, 'YYYY_MM'));
BEGIN
  IF to_regclass(name) IS NOT NULL THEN RETURN; END IF;
  EXECUTE format(
    'CREATE TABLE %I PARTITION OF usage_events FOR VALUES FROM (%L) TO (%L)',
    name, first::timestamp AT TIME ZONE 'UTC', (first + interval '1 month')::timestamp AT TIME ZONE 'UTC');
EXCEPTION WHEN duplicate_table OR unique_violation THEN
  NULL;
END $$;

SELECT usage_events_ensure_month(m)
FROM (SELECT DISTINCT date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date AS m FROM usage_events_unpartitioned) months;

INSERT INTO usage_events SELECT * FROM usage_events_unpartitioned;
INSERT INTO usage_event_ids (id, account_id, occurred_at) SELECT id, account_id, occurred_at FROM usage_events_unpartitioned;
DROP TABLE usage_events_unpartitioned;

-- Holds are found by (account, request), never by request alone: the key every usage table
-- leads with, so they can live on the same node as the account's counters (docs/scaling.md).
ALTER TABLE reservations DROP CONSTRAINT reservations_pkey, ADD PRIMARY KEY (account_id, id);
ALTER TABLE reservations DROP CONSTRAINT reservations_request_id_key,
  ADD CONSTRAINT reservations_account_id_request_id_key UNIQUE (account_id, request_id);
