import { centsToNano, roundNanoToCents } from "@/lib/money/units";
import { billedCents } from "./credits";

export interface UsageGroup {
  providerId: string;
  modelId: string;
  description: string;
  requests: bigint;
  /** Routed usage at the provider's rate (custom-key usage is billed by the provider, not here). */
  costNano: bigint;
  creditsNano: bigint;
  paygNano: bigint;
}

export interface DraftLine {
  kind: "usage" | "credits" | "rounding" | "threshold_payment";
  description: string;
  providerId: string | null;
  modelId: string | null;
  quantity: bigint;
  amountNano: bigint;
  amountCents: bigint;
}

export interface DraftInvoice {
  lines: DraftLine[];
  subtotalCents: bigint;
  creditsCents: bigint;
  /** The rounding adjustment line's amount (0 when there is none): positive or negative. */
  roundingCents: bigint;
  prepaidCents: bigint;
  amountDueCents: bigint;
}

/**
 * The month-end usage invoice, from the month's routed usage per provider and model and the
 * threshold payments already collected.
 *
 * The one rounding rule: an exact nano-dollar amount becomes cents half up (roundNanoToCents),
 * once, when a line is written.
 * - Each usage line is its exact cost, rounded.
 * - The credits line is exactly the month's credits used, rounded (billedCents: the figure the
 *   usage page shows); never more than the plan's credits, since credits used never are.
 * - What the customer owes for the month is their exact pay-as-you-go, rounded once, and
 *   nothing else: the rounded usage lines need not add up to rounded credits + rounded
 *   pay-as-you-go (each line can drift by up to half a cent), and that difference is its own
 *   "Rounding adjustment" line, negative when the lines rounded up, positive when they rounded
 *   down. Line rounding therefore never changes what is paid, in either direction: the customer
 *   never pays more than (nor less than) the pay-as-you-go rounded, and an account that stayed
 *   within its credits owes $0.00. Its exact amount is 0 nano-dollars, so the exact amounts of
 *   the usage, credits and rounding lines add up to the exact pay-as-you-go.
 * - Threshold payments are exact cents.
 * The amount due is the sum of the lines: round(pay-as-you-go) − threshold payments.
 */
export function buildUsageInvoice(groups: UsageGroup[], thresholdPaymentsCents: bigint[]): DraftInvoice {
  const sorted = [...groups].sort((a, b) =>
    a.providerId === b.providerId
      ? a.modelId.localeCompare(b.modelId)
      : a.providerId.localeCompare(b.providerId),
  );
  const lines: DraftLine[] = sorted.map((g) => ({
    kind: "usage",
    description: g.description,
    providerId: g.providerId,
    modelId: g.modelId,
    quantity: g.requests,
    amountNano: g.costNano,
    amountCents: roundNanoToCents(g.costNano),
  }));
  const subtotalCents = lines.reduce((sum, l) => sum + l.amountCents, 0n);

  const creditsNano = groups.reduce((sum, g) => sum + g.creditsNano, 0n);
  const paygNano = groups.reduce((sum, g) => sum + g.paygNano, 0n);
  const { creditsCents, paygCents } = billedCents({ creditsNano, paygNano });
  // Written whenever credits were used, even when they round to $0.00: its exact amount is kept.
  if (creditsNano !== 0n) {
    lines.push({
      kind: "credits",
      description: "Monthly credits applied",
      providerId: null,
      modelId: null,
      quantity: 1n,
      amountNano: -creditsNano,
      amountCents: -creditsCents,
    });
  }
  const roundingCents = paygCents - (subtotalCents - creditsCents);
  if (roundingCents !== 0n) {
    lines.push({
      kind: "rounding",
      description: "Rounding adjustment",
      providerId: null,
      modelId: null,
      quantity: 1n,
      amountNano: 0n,
      amountCents: roundingCents,
    });
  }

  thresholdPaymentsCents.forEach((cents, i) => {
    lines.push({
      kind: "threshold_payment",
      description: `Threshold payment ${i + 1}, already charged`,
      providerId: null,
      modelId: null,
      quantity: 1n,
      amountNano: -centsToNano(cents),
      amountCents: -cents,
    });
  });
  const prepaidCents = thresholdPaymentsCents.reduce((sum, c) => sum + c, 0n);
  const amountDueCents = lines.reduce((sum, l) => sum + l.amountCents, 0n);
  return { lines, subtotalCents, creditsCents, roundingCents, prepaidCents, amountDueCents };
}
