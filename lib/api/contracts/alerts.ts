import { z } from "zod";
import { alertWebhookBody, orgParams } from "@/lib/api/schemas";
import type { Notifications } from "@/lib/alerts/feed";
import { defineContract, describes } from "@/lib/http/contract";
import { isoDateTime, isoMonth } from "./common";

const TAG = "Alerts";

const notifications = describes<Notifications>()(
  z.object({
    alerts: z.array(
      z.object({
        id: z.uuid(),
        account: z.object({ org: z.string().nullable() }),
        month: isoMonth,
        kind: z.enum(["credits", "spending_limit"]),
        level: z.number().int().meta({ description: "50, 80 or 100 (% of the credits or the limit)." }),
        title: z.string(),
        text: z.string(),
        createdAt: isoDateTime,
        deliveries: z.array(
          z.object({
            channel: z.enum(["email", "webhook"]),
            recipient: z.string(),
            status: z.string().meta({ description: "pending, sent, outbox (no SMTP server) or failed." }),
            attempts: z.number().int(),
            lastError: z.string().nullable(),
          }),
        ),
      }),
    ),
    outbox: z.array(
      z.object({ id: z.uuid(), subject: z.string(), body: z.string(), createdAt: isoDateTime }),
    ),
    webhooks: z.array(
      z.object({
        org: z.string().nullable(),
        label: z.string(),
        webhook: z.object({ url: z.string(), secretLast4: z.string(), updatedAt: isoDateTime }).nullable(),
      }),
    ),
  }),
);

const savedWebhook = z.object({
  url: z.string(),
  secret: z.string().meta({ description: "The signing secret: shown this once, stored sealed." }),
  secretLast4: z.string(),
  updatedAt: isoDateTime,
});
const savedExample = {
  url: "https://example.com/hooks/billing",
  secret: "whsec_3q2+7w1Jx0yQ9vZ4c8Lk5m6n7o8p",
  secretLast4: "7o8p",
  updatedAt: "2026-11-20T09:30:00.000Z",
};
const webhookDescription =
  'Each alert is then also POSTed as JSON, signed: `x-billing-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, with `x-billing-delivery: <id>` (the same on retries). A failed call is retried after 1, 2, 4, 8 and 16 minutes, then marked failed. Audited, without the secret. https only, to a host whose every address is public (checked when saved and again at each call; no redirect is followed; 5 s to answer; a delivery records only the status code).';

export const getNotifications = defineContract({
  method: "GET",
  path: "/api/settings/notifications",
  tag: TAG,
  summary: "The caller's alerts, email outbox and webhooks",
  description:
    "Alerts at 50/80/100% of the monthly credits and of the spending limit, for the caller's account and the organizations they administer, with how each email and webhook call went; the emails kept for the caller when no SMTP server is configured.",
  auth: "user",
  response: { status: 200, schema: notifications, description: "Newest alerts first." },
  errors: [],
  example: {
    response: {
      alerts: [
        {
          id: "0f1e2d3c-4b5a-4697-8877-665544332211",
          account: { org: "acme-ai" },
          month: "2026-11",
          kind: "spending_limit",
          level: 80,
          title: "acme-ai: 80% of monthly spending limit used for 2026-11",
          text: "$20.00 of $25.00 used. At the limit, routed requests billed to acme-ai will be refused until the 1st.",
          createdAt: "2026-11-20T09:30:00.000Z",
          deliveries: [
            {
              channel: "email",
              recipient: "admin@example.com",
              status: "sent",
              attempts: 1,
              lastError: null,
            },
            {
              channel: "webhook",
              recipient: "https://example.com/hooks/billing",
              status: "sent",
              attempts: 1,
              lastError: null,
            },
          ],
        },
      ],
      outbox: [],
      webhooks: [
        { org: null, label: "Your account", webhook: null },
        {
          org: "acme-ai",
          label: "Acme AI",
          webhook: {
            url: "https://example.com/hooks/billing",
            secretLast4: "7o8p",
            updatedAt: "2026-11-20T09:30:00.000Z",
          },
        },
      ],
    },
  },
});

export const putOwnAlertWebhook = defineContract({
  method: "PUT",
  path: "/api/settings/alert-webhook",
  tag: TAG,
  summary: "Set where the caller's own alerts are posted",
  description: webhookDescription,
  auth: "user",
  body: alertWebhookBody,
  response: { status: 200, schema: savedWebhook, description: "The webhook, with its new secret." },
  errors: ["webhook_url_refused"],
  example: { body: { url: savedExample.url }, response: savedExample },
});

export const deleteOwnAlertWebhook = defineContract({
  method: "DELETE",
  path: "/api/settings/alert-webhook",
  tag: TAG,
  summary: "Stop posting the caller's own alerts",
  auth: "user",
  response: { status: 204, description: "Removed (or there was none)." },
  errors: [],
});

export const putOrgAlertWebhook = defineContract({
  method: "PUT",
  path: "/api/organizations/{org}/alert-webhook",
  tag: TAG,
  summary: "Set where an organization's alerts are posted",
  description: `Admins only. ${webhookDescription}`,
  auth: "user",
  params: orgParams,
  body: alertWebhookBody,
  response: { status: 200, schema: savedWebhook, description: "The webhook, with its new secret." },
  errors: ["org_not_found", "not_org_member", "forbidden", "webhook_url_refused"],
  example: { params: { org: "acme-ai" }, body: { url: savedExample.url }, response: savedExample },
});

export const deleteOrgAlertWebhook = defineContract({
  method: "DELETE",
  path: "/api/organizations/{org}/alert-webhook",
  tag: TAG,
  summary: "Stop posting an organization's alerts",
  description: "Admins only. Audited.",
  auth: "user",
  params: orgParams,
  response: { status: 204, description: "Removed (or there was none)." },
  errors: ["org_not_found", "not_org_member", "forbidden"],
  example: { params: { org: "acme-ai" } },
});
