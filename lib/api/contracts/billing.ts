import { z } from "zod";
import { billingAccountQuery, usageQuery } from "@/lib/api/schemas";
import type { BillingOverview } from "@/lib/ledger/overview";
import { defineContract, describes } from "@/lib/http/contract";
import type { BreakdownWire } from "@/lib/usage/wire";
import { isoDateTime, isoDay, nanoString, intString } from "./common";

const TAG = "Billing";
const cents = z.int().meta({ description: "US cents." });

const overview = describes<BillingOverview>()(
  z.object({
    kind: z.enum(["user", "org"]),
    plan: z.object({
      id: z.enum(["free", "pro", "team", "enterprise"]),
      label: z.string(),
      perSeat: z.boolean(),
      feeCents: cents,
      monthlyCreditsNano: nanoString,
      payAsYouGo: z.boolean(),
      includedStorageTb: z.number(),
      storageOverageCentsPerTb: cents,
    }),
    subscription: z
      .object({
        status: z.enum(["active", "past_due"]),
        seats: z.int(),
        currentPeriodEnd: isoDateTime,
        cancelAtPeriodEnd: z.boolean(),
      })
      .nullable(),
    seats: z
      .object({ current: z.int(), members: z.int(), atRenewal: z.int(), renewalFeeCents: cents })
      .nullable()
      .meta({
        description: "Org accounts: the seats paid for, the members now, and what the next renewal sets.",
      }),
    credits: z.object({ includedNano: nanoString, usedNano: nanoString }),
    storage: z.object({
      includedTb: z.number(),
      currentBytes: intString,
      peakBytes: intString.meta({
        description: "The period's peak, which the renewal bills above what is included.",
      }),
      overageTb: z.int(),
      overageCents: cents,
    }),
    threshold: z.object({
      thresholdCents: cents,
      accruedNano: nanoString.meta({ description: "Pay-as-you-go of the month not yet charged." }),
      charges: z.array(
        z.object({
          seq: z.int(),
          amountCents: cents,
          createdAt: isoDateTime,
          status: z.enum(["pending", "succeeded", "failed", "canceled", "not_charged_yet"]),
          failureMessage: z.string().nullable(),
        }),
      ),
    }),
    period: z.object({ start: isoDateTime, end: isoDateTime }),
    proOffer: z
      .object({ feeCents: cents, monthlyCreditsNano: nanoString, includedStorageTb: z.number() })
      .nullable()
      .meta({ description: "For a Free personal account: what PRO would cost and include." }),
  }),
);

export const getBillingOverview = defineContract({
  method: "GET",
  path: "/api/billing/overview",
  tag: TAG,
  summary: "Plan, subscription, seats, storage, credits and this month's threshold charges",
  description: "Of the caller's own account, or of an organization with `?org=` (its admins only).",
  auth: "user",
  query: billingAccountQuery,
  response: { status: 200, schema: overview, description: "The account's billing overview." },
  errors: ["org_not_found", "not_org_member", "forbidden"],
  example: {
    query: { org: "acme-ai" },
    response: {
      kind: "org",
      plan: {
        id: "team",
        label: "Team",
        perSeat: true,
        feeCents: 2000,
        monthlyCreditsNano: "2000000000",
        payAsYouGo: true,
        includedStorageTb: 1,
        storageOverageCentsPerTb: 2500,
      },
      subscription: {
        status: "active",
        seats: 5,
        currentPeriodEnd: "2026-12-01T00:00:00.000Z",
        cancelAtPeriodEnd: false,
      },
      seats: { current: 5, members: 4, atRenewal: 4, renewalFeeCents: 8000 },
      credits: { includedNano: "10000000000", usedNano: "3250000000" },
      storage: {
        includedTb: 5,
        currentBytes: "1200000000000",
        peakBytes: "1500000000000",
        overageTb: 0,
        overageCents: 0,
      },
      threshold: {
        thresholdCents: 10000,
        accruedNano: "42500000000",
        charges: [
          {
            seq: 1,
            amountCents: 10000,
            createdAt: "2026-11-12T09:30:00.000Z",
            status: "succeeded",
            failureMessage: null,
          },
        ],
      },
      period: { start: "2026-11-01T00:00:00.000Z", end: "2026-12-01T00:00:00.000Z" },
      proOffer: null,
    },
  },
});

const subscriptionResponse = z.object({
  subscription: z.object({
    plan: z.string().meta({ examples: ["pro"] }),
    status: z.string().meta({ description: "active, past_due or canceled." }),
    currentPeriodEnd: isoDateTime,
    cancelAtPeriodEnd: z.boolean(),
  }),
});

const subscriptionExample = {
  subscription: {
    plan: "pro",
    status: "active",
    currentPeriodEnd: "2026-12-14T10:00:00.000Z",
    cancelAtPeriodEnd: false,
  },
};

export const subscribePro = defineContract({
  method: "POST",
  path: "/api/billing/subscription",
  tag: TAG,
  summary: "Subscribe to PRO",
  description:
    "Charges the first month to the default card now; on a PRO cancelled at period end, resumes it instead.",
  auth: "user",
  response: { status: 200, schema: subscriptionResponse, description: "The subscription." },
  errors: ["already_subscribed", "payment_in_progress", "no_payment_method", "card_declined"],
  example: { response: subscriptionExample },
});

export const cancelSubscription = defineContract({
  method: "DELETE",
  path: "/api/billing/subscription",
  tag: TAG,
  summary: "Cancel PRO at the end of the paid period",
  auth: "user",
  response: { status: 200, schema: subscriptionResponse, description: "The subscription, set to end." },
  errors: ["no_subscription"],
  example: { response: { subscription: { ...subscriptionExample.subscription, cancelAtPeriodEnd: true } } },
});

const metrics = z.object({
  requests: z.int(),
  inputTokens: intString,
  outputTokens: intString,
  computeMs: intString,
  costNano: nanoString.meta({ description: "At list price." }),
  billedNano: nanoString.meta({ description: "What was billed: credits plus pay-as-you-go." }),
  creditsNano: nanoString,
  paygNano: nanoString,
});
const breakdownRow = z.object({
  key: z.string(),
  label: z.string(),
  routed: metrics,
  customKey: metrics.meta({
    description: "Requests made with the caller's own provider keys: billed by the provider.",
  }),
  models: z
    .array(z.object({ key: z.string(), label: z.string().optional(), costNano: nanoString }))
    .optional()
    .meta({ description: "groupBy=day only: that day's cost by model." }),
});
const breakdown = describes<BreakdownWire>()(
  z.object({
    from: isoDay,
    to: isoDay.meta({ description: "Exclusive." }),
    groupBy: z.enum(["model", "provider", "member", "day", "token"]),
    rows: z.array(breakdownRow),
    total: breakdownRow,
  }),
);

const zero = {
  requests: 0,
  inputTokens: "0",
  outputTokens: "0",
  computeMs: "0",
  costNano: "0",
  billedNano: "0",
  creditsNano: "0",
  paygNano: "0",
};
const llamaRouted = {
  requests: 120,
  inputTokens: "48000",
  outputTokens: "36000",
  computeMs: "0",
  costNano: "74400000",
  billedNano: "74400000",
  creditsNano: "74400000",
  paygNano: "0",
};

export const getUsage = defineContract({
  method: "GET",
  path: "/api/billing/usage",
  tag: TAG,
  summary: "Usage breakdown",
  description:
    "Usage from the daily rollups, routed and custom-key side by side, with totals that agree with the invoices. The caller's own, or an organization's with `billTo` (any member; Team and Enterprise only). Without `from`/`to`: the last 31 days; at most 366 days. `groupBy=token`: the caller's own usage by the access token that made it, or with `billTo` for an org's admins every member's (keyed by token id, labelled by its name and last 4 only; `none` for usage without a token), read from the events; its total is the usage so shown.",
  auth: "user",
  query: usageQuery,
  response: { status: 200, schema: breakdown, description: "The breakdown." },
  errors: ["org_not_found", "not_org_member", "org_plan_required"],
  example: {
    query: { from: "2026-11-01", to: "2026-12-01", groupBy: "model", billTo: "acme-ai" },
    response: {
      from: "2026-11-01",
      to: "2026-12-01",
      groupBy: "model",
      rows: [
        {
          key: "meta-llama/Llama-3.3-70B-Instruct",
          label: "Llama 3.3 70B Instruct",
          routed: llamaRouted,
          customKey: zero,
        },
      ],
      total: { key: "total", label: "Total", routed: llamaRouted, customKey: zero },
    },
  },
});
