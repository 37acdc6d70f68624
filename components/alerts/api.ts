import { fetchJson } from "@/components/ui/fetch-json";
import type { Notifications } from "@/lib/alerts/feed";

const webhookPath = (org: string | null) =>
  org ? `/api/organizations/${encodeURIComponent(org)}/alert-webhook` : "/api/settings/alert-webhook";

export const alertsApi = {
  notifications: () => fetchJson<Notifications>("/api/settings/notifications"),
  setWebhook: ({ org, url }: { org: string | null; url: string }) =>
    fetchJson<{ url: string; secret: string; secretLast4: string }>(webhookPath(org), {
      method: "PUT",
      body: JSON.stringify({ url }),
    }),
  removeWebhook: (org: string | null) => fetchJson<void>(webhookPath(org), { method: "DELETE" }),
};
