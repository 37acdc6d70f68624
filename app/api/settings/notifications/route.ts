import { notificationsFor } from "@/lib/alerts/feed";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/http/route";

/** The caller's alerts (own account and the orgs they administer), email outbox and webhooks. */
export const GET = route({ auth: "user" }, async ({ principal }) =>
  notificationsFor(getDb(), principal.userId),
);
