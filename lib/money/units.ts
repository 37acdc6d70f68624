/**
 * Money is never a float. Usage amounts are BigInt nano-dollars (1e-9 USD): per-request costs
 * stay exact. Invoice, payment and setting amounts are integer cents. The one rounding rule:
 * an exact amount becomes cents only when an invoice line is written, rounded half up
 * (roundNanoToCents); an invoice's total is the sum of its rounded lines. On a usage invoice
 * the rounded lines' difference from the rounded credits and pay-as-you-go is a line of its own
 * (lib/ledger/usage-invoice.ts).
 */
export const NANO_PER_CENT = 10_000_000n;

/** n / d rounded half up, for non-negative integers. */
export function divRoundHalfUp(n: bigint, d: bigint): bigint {
  if (n < 0n || d <= 0n) throw new RangeError("divRoundHalfUp needs n >= 0 and d > 0");
  return (2n * n + d) / (2n * d);
}

/** Cents from nano-dollars, half up, symmetric for negative amounts (credit lines). */
export function roundNanoToCents(nano: bigint): bigint {
  return nano < 0n ? -divRoundHalfUp(-nano, NANO_PER_CENT) : divRoundHalfUp(nano, NANO_PER_CENT);
}

export function centsToNano(cents: number | bigint): bigint {
  return BigInt(cents) * NANO_PER_CENT;
}

/** A cents amount that fits the database's integer columns, as a number. */
export function centsToNumber(cents: bigint): number {
  if (cents > 2_147_483_647n || cents < -2_147_483_648n)
    throw new RangeError(`${cents} cents is out of range`);
  return Number(cents);
}
