import { centsToNano, roundNanoToCents } from "@/lib/money/units";

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
  kind: "usage" | "credits" | "threshold_payment";
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
  prepaidCents: bigint;
  amountDueCents: bigint;
}

/**
 * The month-end usage invoice, from the month's routed usage per provider and model and the
 * threshold payments already collected.
 *
 * Rounding rule: each usage line is its exact nano-dollar amount rounded half up to the cent.
 * The credits line is the subtotal less the month's pay-as-you-go rounded half up once, so
 * rounding never costs the customer and an account that stayed within its credits owes $0.00.
 * Threshold payments are exact cents. The amount due is the sum of the lines.
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
  const absorbed = subtotalCents - roundNanoToCents(paygNano);
  const creditsCents = creditsNano > 0n && absorbed > 0n ? absorbed : 0n;
  if (creditsCents > 0n) {
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
  return { lines, subtotalCents, creditsCents, prepaidCents, amountDueCents };
}
