-- The models an org admin allows for requests billed to the org (PUT /api/organizations/{org}/models).
-- No row for an account: every model is allowed; rows: only those.
CREATE TABLE allowed_models (
  account_id uuid NOT NULL REFERENCES billing_accounts(id) ON DELETE CASCADE,
  model_id text NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, model_id)
);
