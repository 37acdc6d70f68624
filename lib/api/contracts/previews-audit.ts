import { z } from "zod";
import { auditLogQuery, limitPreviewQuery, orgParams, orgProviderParams } from "@/lib/api/schemas";
import { defineContract } from "@/lib/http/contract";
import { isoDateTime, isoDay, isoMonth, nanoString } from "./common";

const TAG = "Organization controls";

/** LimitPreviewResult (lib/org-controls/preview-limit-data.ts) as JSON: BigInt as strings, dates as ISO. */
const limitPreviewWire = z.object({
  month: isoMonth,
  limitCents: z.number().int(),
  creditsIncludedNano: nanoString,
  billedPaygNano: nanoString.meta({
    description: "What the ledger actually billed as pay-as-you-go that month.",
  }),
  requests: z.number().int(),
  costNano: nanoString,
  acceptedCreditsNano: nanoString,
  acceptedPaygNano: nanoString,
  refused: z.object({ requests: z.number().int(), costNano: nanoString, firstAt: isoDateTime.nullable() }),
  days: z.array(
    z.object({
      day: isoDay,
      requests: z.number().int(),
      costNano: nanoString,
      refusedRequests: z.number().int(),
      refusedCostNano: nanoString,
    }),
  ),
});

export type LimitPreviewWire = z.input<typeof limitPreviewWire>;

export const previewSpendingLimit = defineContract({
  method: "GET",
  path: "/api/organizations/{org}/spending-limit/preview",
  tag: TAG,
  summary: "Replay last month under a proposed spending limit",
  description:
    "Last month's routed requests billed to the org, in the order they ran, replayed as enforcement decides: credits first, then pay-as-you-go, a request refused when it would take pay-as-you-go past the limit. Holds are not replayed (actual costs are), so enforcement can refuse slightly earlier, never later. Admins only; changes nothing.",
  auth: "user",
  params: orgParams,
  query: limitPreviewQuery,
  response: { status: 200, schema: limitPreviewWire, description: "How the month would have fared." },
  errors: ["org_not_found", "not_org_member", "forbidden"],
  example: {
    params: { org: "acme-ai" },
    query: { limitCents: "5000" },
    response: {
      month: "2026-10",
      limitCents: 5000,
      creditsIncludedNano: "4000000000",
      billedPaygNano: "61000000000",
      requests: 1200,
      costNano: "65000000000",
      acceptedCreditsNano: "4000000000",
      acceptedPaygNano: "49990000000",
      refused: { requests: 180, costNano: "11010000000", firstAt: "2026-10-23T14:05:00.000Z" },
      days: [
        {
          day: "2026-10-23",
          requests: 60,
          costNano: "3300000000",
          refusedRequests: 12,
          refusedCostNano: "660000000",
        },
      ],
    },
  },
});

/** ProviderDisablePreview (lib/org-controls/preview-provider.ts) as JSON. */
const providerPreviewWire = z.object({
  providerId: z.string(),
  modelsLosingLastProvider: z.array(
    z.object({ id: z.string(), name: z.string(), lastMonthRequests: z.number().int() }),
  ),
  lastMonth: z.object({
    month: isoMonth,
    providerRequests: z.number().int(),
    providerCostNano: nanoString,
    totalRequests: z.number().int(),
    totalCostNano: nanoString,
  }),
});

export type ProviderPreviewWire = z.input<typeof providerPreviewWire>;

export const previewProviderDisable = defineContract({
  method: "GET",
  path: "/api/organizations/{org}/providers/{provider}/preview",
  tag: TAG,
  summary: "What switching a provider off would take away",
  description:
    "The models no other allowed provider serves (providers already off count as gone), and the share of last month's traffic billed to the org that the provider served. Admins only; changes nothing.",
  auth: "user",
  params: orgProviderParams,
  response: { status: 200, schema: providerPreviewWire, description: "The preview." },
  errors: ["org_not_found", "not_org_member", "forbidden", "not_found"],
  example: {
    params: { org: "acme-ai", provider: "together" },
    response: {
      providerId: "together",
      modelsLosingLastProvider: [
        { id: "deepseek-ai/DeepSeek-R1", name: "DeepSeek R1", lastMonthRequests: 42 },
      ],
      lastMonth: {
        month: "2026-10",
        providerRequests: 300,
        providerCostNano: "9000000000",
        totalRequests: 1200,
        totalCostNano: "65000000000",
      },
    },
  },
});

const auditRow = z.object({
  id: z.uuid(),
  createdAt: isoDateTime,
  actor: z
    .object({ id: z.uuid(), name: z.string(), email: z.string() })
    .nullable()
    .meta({ description: "null: the system (a job or the CLI)." }),
  action: z.string(),
  actionText: z.string(),
  target: z.string().nullable(),
  change: z.string().meta({ description: "Before → after, in words." }),
  before: z.unknown(),
  after: z.unknown(),
});

export const getOrgAuditLog = defineContract({
  method: "GET",
  path: "/api/organizations/{org}/audit-log",
  tag: TAG,
  summary: "The organization's audit log",
  description:
    "Changes to the spending limit, provider switches, plan, seats, cards, threshold and alert webhooks, and members' changes to their own provider keys (provider and last 4 characters only, never a key), newest first, 50 a page. Filters: `type`, `member` (a user id, or `system`), `from`/`to` (UTC days, both included). With `format=csv`, every filtered entry as a CSV download (text/csv) instead. Admins only.",
  auth: "user",
  params: orgParams,
  query: auditLogQuery,
  response: {
    status: 200,
    schema: z.object({
      rows: z.array(auditRow),
      total: z.number().int(),
      page: z.number().int(),
      pageSize: z.number().int(),
    }),
    description: "A page of entries (or, with format=csv, a CSV file).",
  },
  errors: ["org_not_found", "not_org_member", "forbidden"],
  example: {
    params: { org: "acme-ai" },
    query: { type: "limit" },
    response: {
      rows: [
        {
          id: "2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901",
          createdAt: "2026-11-20T09:30:00.000Z",
          actor: { id: "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b", name: "Ada Admin", email: "ada@example.com" },
          action: "org.spending_limit.update",
          actionText: "Changed the spending limit",
          target: null,
          change: "$50.00 → $25.00",
          before: { limitCents: 5000 },
          after: { limitCents: 2500 },
        },
      ],
      total: 1,
      page: 1,
      pageSize: 50,
    },
  },
});
