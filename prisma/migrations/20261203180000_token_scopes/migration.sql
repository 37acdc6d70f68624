-- Fine-grained access tokens: an expiry, what the token may do, and which orgs it may bill.
-- Existing tokens keep today's behaviour: no expiry, every permission, any org of their user.
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz(3);
ALTER TABLE api_tokens ADD COLUMN permissions text[] NOT NULL DEFAULT '{inference,read,write}'
  CHECK (permissions <@ '{inference,read,write}' AND cardinality(permissions) > 0);
ALTER TABLE api_tokens ADD COLUMN bill_to_any boolean NOT NULL DEFAULT true;
ALTER TABLE api_tokens ADD COLUMN bill_to_orgs text[] NOT NULL DEFAULT '{}';
