/** 1 USD in nano-dollars. Usage amounts are BigInt nano-dollars; invoices use integer cents. */
export const NANO_PER_DOLLAR = 1_000_000_000n;
export const NANO_PER_CENT = 10_000_000n;

/** n / d rounded half up, for non-negative integers: the one rounding rule for money. */
export function divRoundHalfUp(n: bigint, d: bigint): bigint {
  if (n < 0n || d <= 0n) throw new RangeError("divRoundHalfUp needs n >= 0 and d > 0");
  return (2n * n + d) / (2n * d);
}
