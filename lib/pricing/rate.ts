import { divRoundHalfUp } from "@/lib/money/units";

const MILLION = 1_000_000n;
const MS_PER_SECOND = 1_000n;

/** Token-priced request: input × input price + output × output price, prices per million tokens. */
export function tokenCostNano(
  usage: { inputTokens: number; outputTokens: number },
  price: { inputNanoPerMillion: bigint; outputNanoPerMillion: bigint },
): bigint {
  const total =
    BigInt(usage.inputTokens) * price.inputNanoPerMillion +
    BigInt(usage.outputTokens) * price.outputNanoPerMillion;
  return divRoundHalfUp(total, MILLION);
}

/** Compute-priced request (hf-inference): seconds of compute × the hardware's price per second. */
export function computeCostNano(computeMs: number, price: { nanoPerSecond: bigint }): bigint {
  return divRoundHalfUp(BigInt(computeMs) * price.nanoPerSecond, MS_PER_SECOND);
}
