-- What GET /v1/generation reports of a routed request beside its cost: whether it was streamed
-- and how long it took. Null for events reported by an external router (POST /api/usage/events),
-- which we did not serve. Nullable with no default, so adding them rewrites no partition.
ALTER TABLE usage_events ADD COLUMN streamed boolean;
ALTER TABLE usage_events ADD COLUMN latency_ms integer CHECK (latency_ms >= 0);
