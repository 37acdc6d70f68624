import { getNotifications } from "@/lib/api/contracts/alerts";
import { notificationsFor } from "@/lib/alerts/feed";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/api/route";

/** The caller's alerts (own account and the orgs they administer), email outbox and webhooks. */
export const GET = route(getNotifications, async ({ principal }) =>
  notificationsFor(getDb(), principal.userId),
);
