-- Each user's own provider switches (PUT /api/settings/providers/{provider}), beside the
-- account's (disabled_providers): the router skips a provider either one switched off.
CREATE TABLE user_disabled_providers (
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  provider_id text NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, provider_id)
);
