import { nanoToUsd } from "@/lib/money/format";

export interface BillingReport {
  provider: string;
  mode: "routed" | "custom_key";
  billed_to: { type: "user" } | { type: "org"; name: string };
  /** The request at list price; for custom-key requests, what the provider bills you directly. */
  list_price_usd: string;
  /** What this account was billed, and how: included credits first, then pay-as-you-go. */
  billed_usd: string;
  credits_usd: string;
  pay_as_you_go_usd: string;
}

/** The `usage.cost` of a response: exact decimal strings, never floats. */
export function billingReport(
  request: { providerId: string; mode: BillingReport["mode"]; orgName: string | null },
  amounts: { costNano: bigint; creditsNano: bigint; paygNano: bigint },
): BillingReport {
  return {
    provider: request.providerId,
    mode: request.mode,
    billed_to: request.orgName ? { type: "org", name: request.orgName } : { type: "user" },
    list_price_usd: nanoToUsd(amounts.costNano),
    billed_usd: nanoToUsd(amounts.creditsNano + amounts.paygNano),
    credits_usd: nanoToUsd(amounts.creditsNano),
    pay_as_you_go_usd: nanoToUsd(amounts.paygNano),
  };
}
