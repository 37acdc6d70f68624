import type { GroupBy } from "@/lib/usage/wire";

/** react-query keys, from one typed factory so mutations invalidate exactly what they change. */
export const queryKeys = {
  tokens: () => ["tokens"] as const,
  notifications: () => ["notifications"] as const,
  /** Everything billing of one account (null: the caller's own); invalidate it after any billing change. */
  billing: (org: string | null) => ["billing", org ?? "me"] as const,
  billingOverview: (org: string | null) => ["billing", org ?? "me", "overview"] as const,
  paymentMethods: (org: string | null) => ["billing", org ?? "me", "payment-methods"] as const,
  invoices: (org: string | null) => ["billing", org ?? "me", "invoices"] as const,
  invoice: (org: string | null, number: string) => ["billing", org ?? "me", "invoices", number] as const,
  /** billTo: the org's name, or null for the signed-in user's own account. */
  usage: (billTo: string | null, groupBy: GroupBy, from: string, to: string) =>
    ["usage", billTo ?? "me", groupBy, from, to] as const,
  /** Custom-key savings by provider and month (the default months: the last 3). */
  savings: (billTo: string | null) => ["usage", billTo ?? "me", "savings"] as const,
  providerKeys: () => ["provider-keys"] as const,
  providerPreferences: () => ["provider-preferences"] as const,
  providerSwitches: () => ["provider-switches"] as const,
  spendingLimit: (org: string) => ["org", org, "spending-limit"] as const,
  orgProviders: (org: string) => ["org", org, "providers"] as const,
  limitPreview: (org: string, limitCents: number) =>
    ["org", org, "spending-limit", "preview", limitCents] as const,
  providerPreview: (org: string, provider: string) => ["org", org, "providers", provider, "preview"] as const,
};
