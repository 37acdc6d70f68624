-- The initial data model. Kept in step with prisma/schema.prisma by
-- lib/db/schema-agreement.int.test.ts. Money: *_nano are BigInt nano-dollars, *_cents integer cents.

CREATE TYPE "Plan" AS ENUM ('free', 'pro', 'team', 'enterprise');
CREATE TYPE "AccountKind" AS ENUM ('user', 'org');
CREATE TYPE "OrgRole" AS ENUM ('admin', 'write', 'contributor', 'read');
CREATE TYPE "PricingUnit" AS ENUM ('token', 'compute');
CREATE TYPE "BillingMode" AS ENUM ('routed', 'custom_key');
CREATE TYPE "TokenKind" AS ENUM ('user', 'service');
CREATE TYPE "InvoiceKind" AS ENUM ('usage', 'subscription');
CREATE TYPE "InvoiceStatus" AS ENUM ('draft', 'open', 'paid', 'failed', 'void');
CREATE TYPE "InvoiceLineKind" AS ENUM ('usage', 'credits', 'threshold_payment', 'subscription', 'seats', 'storage');
CREATE TYPE "PaymentKind" AS ENUM ('authorization_hold', 'hold_release', 'threshold_charge', 'invoice_charge');
CREATE TYPE "PaymentStatus" AS ENUM ('pending', 'succeeded', 'failed', 'canceled');
CREATE TYPE "SubscriptionStatus" AS ENUM ('active', 'canceled', 'past_due');

-- people and tenants

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL UNIQUE CHECK (email = lower(email)),
  name text NOT NULL,
  password_hash text,
  provider_preferences text[] NOT NULL DEFAULT '{}',
  created_at timestamptz(3) NOT NULL DEFAULT now()
);

CREATE TABLE oauth_identities (
  provider text NOT NULL,
  provider_account_id text NOT NULL,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, provider_account_id)
);
CREATE INDEX oauth_identities_user_id_idx ON oauth_identities (user_id);

CREATE TABLE organizations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$'),
  display_name text NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
  org_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role "OrgRole" NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user_id_idx ON memberships (user_id);

CREATE TABLE billing_accounts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind "AccountKind" NOT NULL,
  user_id uuid UNIQUE REFERENCES users(id) ON DELETE CASCADE,
  org_id uuid UNIQUE REFERENCES organizations(id) ON DELETE CASCADE,
  plan "Plan" NOT NULL,
  seats integer NOT NULL DEFAULT 1 CHECK (seats >= 1),
  threshold_cents integer NOT NULL DEFAULT 10000 CHECK (threshold_cents > 0),
  spending_limit_cents integer CHECK (spending_limit_cents >= 0),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT billing_accounts_one_owner CHECK (
    (kind = 'user' AND user_id IS NOT NULL AND org_id IS NULL) OR
    (kind = 'org' AND org_id IS NOT NULL AND user_id IS NULL)
  ),
  CONSTRAINT billing_accounts_plan_fits_kind CHECK (
    (kind = 'user' AND plan IN ('free', 'pro')) OR
    (kind = 'org' AND plan IN ('free', 'team', 'enterprise'))
  )
);

-- catalog

CREATE TABLE providers (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]*$'),
  display_name text NOT NULL,
  billing_integrated boolean NOT NULL,
  pricing_unit "PricingUnit" NOT NULL,
  base_url text NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now()
);

CREATE TABLE models (
  id text PRIMARY KEY,
  display_name text NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now()
);

CREATE TABLE provider_models (
  provider_id text NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
  model_id text NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  upstream_model text NOT NULL,
  hardware text,
  active boolean NOT NULL DEFAULT true,
  PRIMARY KEY (provider_id, model_id)
);
CREATE INDEX provider_models_model_id_idx ON provider_models (model_id);

CREATE TABLE prices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  provider_id text NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
  model_id text NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  effective_from timestamptz(3) NOT NULL,
  input_nano_per_million bigint NOT NULL CHECK (input_nano_per_million >= 0),
  output_nano_per_million bigint NOT NULL CHECK (output_nano_per_million >= 0),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (provider_id, model_id, effective_from)
);

CREATE TABLE hardware_prices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hardware text NOT NULL,
  effective_from timestamptz(3) NOT NULL,
  nano_per_second bigint NOT NULL CHECK (nano_per_second >= 0),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (hardware, effective_from)
);

CREATE TABLE plan_prices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plan "Plan" NOT NULL,
  effective_from timestamptz(3) NOT NULL,
  monthly_credits_nano bigint NOT NULL CHECK (monthly_credits_nano >= 0),
  pay_as_you_go boolean NOT NULL,
  fee_cents integer NOT NULL CHECK (fee_cents >= 0),
  per_seat boolean NOT NULL,
  included_storage_tb integer NOT NULL CHECK (included_storage_tb >= 0),
  storage_overage_cents_per_tb integer NOT NULL CHECK (storage_overage_cents_per_tb >= 0),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (plan, effective_from)
);

-- keys and controls

CREATE TABLE provider_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  provider_id text NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
  ciphertext bytea NOT NULL,
  iv bytea NOT NULL,
  auth_tag bytea NOT NULL,
  encryption_key_id text NOT NULL,
  last4 text NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (user_id, provider_id)
);

CREATE TABLE disabled_providers (
  account_id uuid NOT NULL REFERENCES billing_accounts(id) ON DELETE CASCADE,
  provider_id text NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
  created_by_id uuid,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, provider_id)
);

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind "TokenKind" NOT NULL DEFAULT 'user',
  user_id uuid REFERENCES users(id) ON DELETE CASCADE,
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  last4 text NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  last_used_at timestamptz(3),
  revoked_at timestamptz(3),
  CONSTRAINT api_tokens_owner CHECK ((kind = 'user') = (user_id IS NOT NULL))
);
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id);

-- usage and counters

CREATE TABLE usage_events (
  id text PRIMARY KEY,
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
  )
);
CREATE INDEX usage_events_account_id_occurred_at_idx ON usage_events (account_id, occurred_at);

CREATE TABLE usage_daily (
  account_id uuid NOT NULL REFERENCES billing_accounts(id) ON DELETE CASCADE,
  day date NOT NULL,
  provider_id text NOT NULL REFERENCES providers(id),
  model_id text NOT NULL REFERENCES models(id),
  mode "BillingMode" NOT NULL,
  user_id uuid NOT NULL,
  requests integer NOT NULL DEFAULT 0,
  input_tokens bigint NOT NULL DEFAULT 0,
  output_tokens bigint NOT NULL DEFAULT 0,
  compute_ms bigint NOT NULL DEFAULT 0,
  cost_nano bigint NOT NULL DEFAULT 0,
  credits_nano bigint NOT NULL DEFAULT 0,
  payg_nano bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, day, provider_id, model_id, mode, user_id)
);

CREATE TABLE account_periods (
  account_id uuid NOT NULL REFERENCES billing_accounts(id) ON DELETE CASCADE,
  period date NOT NULL CHECK (extract(day FROM period) = 1),
  credits_included_nano bigint NOT NULL CHECK (credits_included_nano >= 0),
  credits_used_nano bigint NOT NULL DEFAULT 0 CHECK (credits_used_nano >= 0),
  payg_nano bigint NOT NULL DEFAULT 0 CHECK (payg_nano >= 0),
  reserved_nano bigint NOT NULL DEFAULT 0 CHECK (reserved_nano >= 0),
  threshold_charged_nano bigint NOT NULL DEFAULT 0 CHECK (threshold_charged_nano >= 0),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, period),
  CONSTRAINT account_periods_credits_within_included CHECK (credits_used_nano <= credits_included_nano)
);

CREATE TABLE reservations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES billing_accounts(id) ON DELETE CASCADE,
  period date NOT NULL,
  request_id text NOT NULL UNIQUE,
  amount_nano bigint NOT NULL CHECK (amount_nano >= 0),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  expires_at timestamptz(3) NOT NULL
);
CREATE INDEX reservations_expires_at_idx ON reservations (expires_at);

-- charges and invoices

CREATE TABLE payment_methods (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES billing_accounts(id) ON DELETE CASCADE,
  processor text NOT NULL,
  processor_ref text NOT NULL,
  brand text NOT NULL,
  last4 text NOT NULL,
  exp_month integer NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
  exp_year integer NOT NULL,
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  removed_at timestamptz(3)
);
CREATE INDEX payment_methods_account_id_idx ON payment_methods (account_id);
-- at most one default card per account
CREATE UNIQUE INDEX payment_methods_one_default ON payment_methods (account_id)
  WHERE is_default AND removed_at IS NULL;

CREATE TABLE invoices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number text NOT NULL UNIQUE,
  account_id uuid NOT NULL REFERENCES billing_accounts(id) ON DELETE CASCADE,
  kind "InvoiceKind" NOT NULL,
  period_start date NOT NULL,
  period_end date NOT NULL CHECK (period_end > period_start),
  status "InvoiceStatus" NOT NULL,
  subtotal_cents integer NOT NULL,
  credits_cents integer NOT NULL DEFAULT 0,
  prepaid_cents integer NOT NULL DEFAULT 0,
  amount_due_cents integer NOT NULL,
  currency text NOT NULL DEFAULT 'usd',
  issued_at timestamptz(3) NOT NULL,
  paid_at timestamptz(3),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (account_id, kind, period_start)
);

CREATE TABLE invoice_lines (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  invoice_id uuid NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
  position integer NOT NULL,
  kind "InvoiceLineKind" NOT NULL,
  description text NOT NULL,
  provider_id text,
  model_id text,
  quantity bigint NOT NULL DEFAULT 1,
  amount_nano bigint NOT NULL,
  amount_cents integer NOT NULL,
  UNIQUE (invoice_id, position)
);

CREATE TABLE payments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES billing_accounts(id) ON DELETE CASCADE,
  payment_method_id uuid REFERENCES payment_methods(id),
  invoice_id uuid REFERENCES invoices(id),
  kind "PaymentKind" NOT NULL,
  status "PaymentStatus" NOT NULL,
  amount_cents integer NOT NULL CHECK (amount_cents >= 0),
  idempotency_key text NOT NULL UNIQUE,
  processor_ref text,
  failure_code text,
  failure_message text,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX payments_account_id_created_at_idx ON payments (account_id, created_at);

CREATE TABLE threshold_charges (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES billing_accounts(id) ON DELETE CASCADE,
  period date NOT NULL,
  seq integer NOT NULL CHECK (seq >= 1),
  amount_cents integer NOT NULL CHECK (amount_cents > 0),
  payment_id uuid UNIQUE REFERENCES payments(id),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (account_id, period, seq)
);

CREATE TABLE subscriptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES billing_accounts(id) ON DELETE CASCADE,
  plan "Plan" NOT NULL,
  status "SubscriptionStatus" NOT NULL,
  seats integer NOT NULL DEFAULT 1 CHECK (seats >= 1),
  current_period_start timestamptz(3) NOT NULL,
  current_period_end timestamptz(3) NOT NULL,
  cancel_at_period_end boolean NOT NULL DEFAULT false,
  canceled_at timestamptz(3),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  CHECK (current_period_end > current_period_start)
);
CREATE INDEX subscriptions_account_id_idx ON subscriptions (account_id);

CREATE TABLE storage_usage (
  account_id uuid NOT NULL REFERENCES billing_accounts(id) ON DELETE CASCADE,
  day date NOT NULL,
  bytes bigint NOT NULL CHECK (bytes >= 0),
  PRIMARY KEY (account_id, day)
);

CREATE TABLE audit_log (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid REFERENCES billing_accounts(id) ON DELETE CASCADE,
  actor_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
  action text NOT NULL,
  target text,
  before jsonb,
  after jsonb,
  created_at timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_account_id_created_at_idx ON audit_log (account_id, created_at);
CREATE INDEX audit_log_actor_user_id_created_at_idx ON audit_log (actor_user_id, created_at);

-- rate-limiter-flexible's PostgreSQL store (login throttling), shared by every app instance
CREATE TABLE rate_limits (
  key varchar(255) PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);
