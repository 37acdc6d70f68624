import { raw, type RawSql } from "@/lib/db/sql";
import { NANO_PER_CENT } from "@/lib/money/units";

export interface ThresholdState {
  /** The month's pay-as-you-go so far. */
  paygNano: bigint;
  /** What threshold charges of the month already cover. */
  chargedNano: bigint;
  /** The account's billing threshold (positive). */
  thresholdCents: number;
}

/**
 * THE rule for threshold charges: one is due for each whole threshold of the month's
 * pay-as-you-go not yet charged. $254 of usage with a $100 threshold: two charges of $100;
 * the remaining $54 goes on the month-end invoice. Settlement counts them in SQL with
 * thresholdChargesDueSql, its twin (lib/ledger/rules.int.test.ts runs both on the same inputs).
 */
export function thresholdChargesDue(input: ThresholdState): number {
  const threshold = BigInt(input.thresholdCents) * NANO_PER_CENT;
  if (threshold <= 0n) throw new RangeError("The billing threshold must be positive");
  const uncharged = input.paygNano - input.chargedNano;
  return uncharged <= 0n ? 0 : Number(uncharged / threshold);
}

/** The month's pay-as-you-go at which the next threshold charge becomes due. */
export function nextThresholdChargeAt(input: ThresholdState): bigint {
  const threshold = BigInt(input.thresholdCents) * NANO_PER_CENT;
  return input.chargedNano + BigInt(thresholdChargesDue(input) + 1) * threshold;
}

/**
 * thresholdChargesDue as a SQL bigint over the given SQL expressions. The threshold is positive
 * by the table's CHECK; uncharged amounts are positive where it divides, so integer division
 * truncates as BigInt's does.
 */
export function thresholdChargesDueSql(e: Record<keyof ThresholdState, string>): RawSql {
  const uncharged = `((${e.paygNano}) - (${e.chargedNano}))`;
  return raw(`CASE WHEN ${uncharged} > 0
      THEN ${uncharged} / ((${e.thresholdCents})::bigint * ${NANO_PER_CENT}::bigint)
      ELSE 0::bigint END`);
}
