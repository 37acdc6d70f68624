/** 1 TB = 10^12 bytes, as storage is sold. */
export const BYTES_PER_TB = 1_000_000_000_000n;

/** Whole TB billed above what is included: a started TB counts whole (1.2 TB over -> 2 TB). */
export function storageOverageTb(peakBytes: bigint, includedTb: number): bigint {
  const over = peakBytes - BigInt(includedTb) * BYTES_PER_TB;
  return over <= 0n ? 0n : (over + BYTES_PER_TB - 1n) / BYTES_PER_TB;
}

/** "6.20 TB" from bytes, truncated to hundredths of a TB (no float in between). */
export function formatTb(bytes: bigint): string {
  const hundredths = (bytes * 100n) / BYTES_PER_TB;
  return `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, "0")} TB`;
}
