-- Access tokens with a budget: an optional limit on what a token's routed requests may spend in
-- a window that resets daily, weekly (from Monday), monthly or never (UTC, by the billing clock).
ALTER TABLE api_tokens ADD COLUMN limit_cents integer CHECK (limit_cents BETWEEN 1 AND 2000000000);
ALTER TABLE api_tokens ADD COLUMN limit_reset text CHECK (limit_reset IN ('daily', 'weekly', 'monthly', 'never'));
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_limit_with_reset
  CHECK ((limit_cents IS NULL) = (limit_reset IS NULL));

-- A token's counters in one window: the row its holds are placed against, as account_periods
-- is for an account's month. window_start is the window's first instant ('1970-01-01' for never).
CREATE TABLE token_windows (
  token_id      uuid NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
  window_start  timestamptz(3) NOT NULL,
  spent_nano    bigint NOT NULL DEFAULT 0 CHECK (spent_nano >= 0),
  reserved_nano bigint NOT NULL DEFAULT 0 CHECK (reserved_nano >= 0),
  updated_at    timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (token_id, window_start)
);

-- An in-flight hold on a token's window, by the request id of the account's hold beside it.
CREATE TABLE token_holds (
  request_id   text PRIMARY KEY,
  token_id     uuid NOT NULL,
  window_start timestamptz(3) NOT NULL,
  amount_nano  bigint NOT NULL CHECK (amount_nano >= 0),
  expires_at   timestamptz(3) NOT NULL,
  created_at   timestamptz(3) NOT NULL DEFAULT now(),
  FOREIGN KEY (token_id, window_start) REFERENCES token_windows (token_id, window_start) ON DELETE CASCADE
);
CREATE INDEX token_holds_expires_at_idx ON token_holds (expires_at);

-- Which access token made a request (null: an external router's event, or a session).
-- Nullable with no default, so adding it rewrites no partition; no foreign key, as usage_events
-- is distributed by account and api_tokens stays on the coordinator (docs/scaling.md).
ALTER TABLE usage_events ADD COLUMN token_id uuid;
CREATE INDEX usage_events_token_idx ON usage_events (token_id, occurred_at) WHERE token_id IS NOT NULL;
