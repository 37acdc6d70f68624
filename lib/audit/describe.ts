import { formatCents } from "@/lib/money/format";

/** The kinds of change an org admin can filter the audit log by, and the actions in each. */
export const AUDIT_TYPES = {
  limit: { label: "Spending limit", actions: ["spending_limit.update"] },
  providers: { label: "Providers", actions: ["provider.enable", "provider.disable"] },
  models: { label: "Allowed models", actions: ["allowed_models.update"] },
  keys: {
    label: "Members' provider keys",
    actions: ["provider_key.create", "provider_key.replace", "provider_key.delete"],
  },
  plan: {
    label: "Plan",
    actions: ["billing.plan.update", "billing.subscription.subscribe", "billing.subscription.cancel"],
  },
  seats: { label: "Seats", actions: ["billing.seats.update"] },
  cards: {
    label: "Payment methods",
    actions: ["billing.card.add", "billing.card.default", "billing.card.remove"],
  },
  threshold: { label: "Billing threshold", actions: ["billing.threshold.update"] },
} as const;
export type AuditType = keyof typeof AUDIT_TYPES;
export const AUDIT_TYPE_IDS = Object.keys(AUDIT_TYPES) as AuditType[];

const ACTION_WORDS: Record<string, string> = {
  "spending_limit.update": "Changed the spending limit",
  "provider.enable": "Switched a provider on",
  "provider.disable": "Switched a provider off",
  "allowed_models.update": "Changed the allowed models",
  "own_provider.enable": "Switched a provider on for their own requests",
  "own_provider.disable": "Switched a provider off for their own requests",
  "provider_key.create": "Added a provider key",
  "provider_key.replace": "Replaced a provider key",
  "provider_key.delete": "Removed a provider key",
  "billing.plan.update": "Changed the plan",
  "billing.subscription.subscribe": "Subscribed",
  "billing.subscription.cancel": "Cancelled the subscription",
  "billing.seats.update": "Changed the seats",
  "billing.card.add": "Added a card",
  "billing.card.default": "Changed the default card",
  "billing.card.remove": "Removed a card",
  "billing.threshold.update": "Changed the billing threshold",
  "access_token.limit.update": "Changed an access token's spending limit",
};

type Json = unknown;
const obj = (v: Json): Record<string, unknown> =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** Field names that could hold a secret; only `last4` of a key is ever shown. */
const SECRET_FIELD = /key|secret|token|password|cipher|cvc|number/i;

/**
 * A before/after value as recorded, with anything that could be a secret dropped: what the page
 * and the CSV export show. Key entries only ever record `last4`, but this holds for any action.
 */
export function redact(value: Json): Json {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(redact);
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k === "last4" || !SECRET_FIELD.test(k))
      .map(([k, v]) => [k, redact(v)]),
  );
}

function cents(v: unknown, locale: string, none: string): string {
  return typeof v === "number" ? formatCents(v, locale) : none;
}

function side(action: string, value: Json, locale: string): string {
  if (value === null || value === undefined) return "—";
  const v = obj(value);
  switch (action) {
    case "spending_limit.update":
      return cents(v.limitCents, locale, "No limit");
    case "billing.threshold.update":
      return cents(v.thresholdCents, locale, "—");
    case "provider.enable":
    case "provider.disable":
    case "own_provider.enable":
    case "own_provider.disable":
      return v.enabled ? "on" : "off";
    case "allowed_models.update":
      return Array.isArray(v.allowed) ? v.allowed.join(", ") : "every model";
    case "provider_key.create":
    case "provider_key.replace":
    case "provider_key.delete":
      return typeof v.last4 === "string" ? `key ending in ${v.last4}` : "—";
    case "billing.seats.update":
      return typeof v.seats === "number" ? `${v.seats} seat${v.seats === 1 ? "" : "s"}` : "—";
    case "billing.card.add":
    case "billing.card.default":
    case "billing.card.remove":
      return typeof v.last4 === "string" ? `${String(v.brand ?? "card")} ending in ${v.last4}` : "—";
    case "billing.subscription.cancel":
      return v.cancelAtPeriodEnd
        ? `ends ${typeof v.endsAt === "string" ? v.endsAt.slice(0, 10) : "at period end"}`
        : "active";
  }
  if (typeof v.plan === "string") return v.plan;
  const shown = redact(value);
  return JSON.stringify(shown);
}

/** An audit entry in words: what was done, and before → after. */
export function describeAuditEntry(
  entry: { action: string; before: Json; after: Json },
  locale = "en-US",
): { action: string; change: string } {
  return {
    action: ACTION_WORDS[entry.action] ?? entry.action,
    change: `${side(entry.action, entry.before, locale)} → ${side(entry.action, entry.after, locale)}`,
  };
}
