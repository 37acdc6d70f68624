import { roundNanoToCents } from "@/lib/money/units";

/** The month's included credits: per account, or per seat for Team and Enterprise (one shared pool). */
export function includedCreditsNano(
  terms: { monthlyCreditsNano: bigint; perSeat: boolean },
  seats: number,
): bigint {
  return terms.monthlyCreditsNano * BigInt(terms.perSeat ? seats : 1);
}

export type Allocation =
  | { ok: true; creditsNano: bigint; paygNano: bigint }
  | { ok: false; code: "credits_exhausted" | "provider_not_integrated" };

/**
 * Who pays for one request. Custom-key requests are billed by the provider: nothing here.
 * Routed requests need a billing-integrated provider, then use the month's credits first and
 * the rest is pay-as-you-go, or, on a plan without pay-as-you-go (Free), refused.
 */
export function allocateCost(input: {
  costNano: bigint;
  mode: "routed" | "custom_key";
  billingIntegrated: boolean;
  creditsLeftNano: bigint;
  payAsYouGo: boolean;
}): Allocation {
  if (input.mode === "custom_key") return { ok: true, creditsNano: 0n, paygNano: 0n };
  if (!input.billingIntegrated) return { ok: false, code: "provider_not_integrated" };
  const left = input.creditsLeftNano > 0n ? input.creditsLeftNano : 0n;
  const creditsNano = input.costNano < left ? input.costNano : left;
  const paygNano = input.costNano - creditsNano;
  if (paygNano > 0n && !input.payAsYouGo) return { ok: false, code: "credits_exhausted" };
  return { ok: true, creditsNano, paygNano };
}

/**
 * Routed usage as invoices show it, in cents: the credits used and the pay-as-you-go, each
 * rounded once by the one rounding rule (half up, roundNanoToCents). The month-end invoice's
 * credits line and amount due (buildUsageInvoice) and the usage page's "credits /
 * pay-as-you-go" are both this function's answer, so they agree to the cent. Credits used never
 * exceed the plan's credits (allocateCost), and rounding half up keeps that order: the credits
 * figure is never more than the plan's credits rounded the same way (for the catalog's plans,
 * whole cents, never more than the plan's credits).
 */
export function billedCents(used: { creditsNano: bigint; paygNano: bigint }): {
  creditsCents: bigint;
  paygCents: bigint;
} {
  return { creditsCents: roundNanoToCents(used.creditsNano), paygCents: roundNanoToCents(used.paygNano) };
}
