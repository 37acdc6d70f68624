-- Alerts at 50/80/100% of an account's monthly credits and of its spending limit: one row per
-- account, month, kind and level, so each fires once however many settlements cross it at once.
-- Keyed by account first, like every table the settlement statement writes (docs/scaling.md).

CREATE TYPE "AlertKind" AS ENUM ('credits', 'spending_limit');
CREATE TYPE "DeliveryChannel" AS ENUM ('email', 'webhook');
-- outbox: an email kept in the app because no SMTP server is configured.
CREATE TYPE "DeliveryStatus" AS ENUM ('pending', 'sent', 'outbox', 'failed');

CREATE TABLE alerts (
  account_id uuid NOT NULL REFERENCES billing_accounts(id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  period date NOT NULL,
  kind "AlertKind" NOT NULL,
  level smallint NOT NULL CHECK (level IN (50, 80, 100)),
  -- what was used of what, when it fired
  used_nano bigint NOT NULL CHECK (used_nano >= 0),
  cap_nano bigint NOT NULL CHECK (cap_nano >= 0),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  -- set once its emails and webhook call are queued
  queued_at timestamptz(3),
  PRIMARY KEY (account_id, id),
  UNIQUE (account_id, period, kind, level)
);
CREATE INDEX alerts_unqueued_idx ON alerts (created_at) WHERE queued_at IS NULL;

-- Where an account's alerts are also posted, signed with a secret sealed like provider keys.
CREATE TABLE alert_webhooks (
  account_id uuid PRIMARY KEY REFERENCES billing_accounts(id) ON DELETE CASCADE,
  url text NOT NULL,
  secret_ciphertext bytea NOT NULL,
  secret_iv bytea NOT NULL,
  secret_auth_tag bytea NOT NULL,
  encryption_key_id text NOT NULL,
  secret_last4 text NOT NULL,
  updated_by_id uuid,
  updated_at timestamptz(3) NOT NULL DEFAULT now()
);

CREATE TABLE alert_deliveries (
  account_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  alert_id uuid NOT NULL,
  channel "DeliveryChannel" NOT NULL,
  -- an email address, or the webhook's URL
  recipient text NOT NULL,
  subject text NOT NULL,
  -- the email's text, or the webhook's JSON body (signed as sent)
  body text NOT NULL,
  status "DeliveryStatus" NOT NULL DEFAULT 'pending',
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz(3) NOT NULL DEFAULT now(),
  last_error text,
  sent_at timestamptz(3),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, id),
  UNIQUE (account_id, alert_id, channel, recipient),
  FOREIGN KEY (account_id, alert_id) REFERENCES alerts (account_id, id) ON DELETE CASCADE
);
CREATE INDEX alert_deliveries_due_idx ON alert_deliveries (next_attempt_at) WHERE status = 'pending';
