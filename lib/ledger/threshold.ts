import { NANO_PER_CENT } from "@/lib/money/units";

/**
 * How many threshold charges are due: one for each whole threshold of the month's
 * pay-as-you-go not yet charged. $254 of usage with a $100 threshold: two charges of $100;
 * the remaining $54 goes on the month-end invoice.
 */
export function thresholdChargesDue(input: {
  paygNano: bigint;
  chargedNano: bigint;
  thresholdCents: number;
}): number {
  const threshold = BigInt(input.thresholdCents) * NANO_PER_CENT;
  if (threshold <= 0n) throw new RangeError("The billing threshold must be positive");
  const uncharged = input.paygNano - input.chargedNano;
  return uncharged <= 0n ? 0 : Number(uncharged / threshold);
}
