import { raw, type RawSql } from "@/lib/db/sql";

/** What a month has room for: its counters and the account's terms. Amounts in nano-dollars. */
export interface MonthRoom {
  paygNano: bigint;
  /** Open holds of requests in flight. */
  reservedNano: bigint;
  /** Included credits not used yet (included − used). */
  creditsLeftNano: bigint;
  /** The spending limit on pay-as-you-go, or null for none. */
  limitNano: bigint | null;
  /** Whether the plan allows pay-as-you-go (Free does not). */
  payAsYouGo: boolean;
}

/**
 * THE rule for spending a month's room: whether `amountNano` more (a new hold, or a request
 * billed without one) fits on top of what is spent and already held. Within the credits left
 * for a plan without pay-as-you-go; otherwise within the spending limit, counting holds only
 * beyond the credits left (credits go first). Holds placed in SQL use holdFitsSql, its twin
 * (lib/ledger/rules.int.test.ts runs both on the same inputs).
 */
export function holdFits(m: MonthRoom, amountNano: bigint): boolean {
  if (!m.payAsYouGo) return m.reservedNano + amountNano <= m.creditsLeftNano;
  if (m.limitNano === null) return true;
  const beyondCredits = m.reservedNano + amountNano - m.creditsLeftNano;
  return m.paygNano + (beyondCredits > 0n ? beyondCredits : 0n) <= m.limitNano;
}

/**
 * The pay-as-you-go the spending limit still allows, as holdFits counts it (holds beyond the
 * credits left are spend): a hold fits exactly when its part beyond the credits the holds leave
 * is at most this. Null without a limit. Can be negative when a lowered limit is already passed.
 */
export function paygRoomNano(m: Omit<MonthRoom, "payAsYouGo">): bigint | null {
  if (m.limitNano === null) return null;
  const heldBeyondCredits = m.reservedNano > m.creditsLeftNano ? m.reservedNano - m.creditsLeftNano : 0n;
  return m.limitNano - m.paygNano - heldBeyondCredits;
}

/**
 * holdFits as a SQL boolean over the given SQL expressions (columns of the statement using it).
 * A fixed text for fixed expressions, so the statements that splice it stay prepared.
 */
export function holdFitsSql(e: Record<keyof MonthRoom | "amountNano", string>): RawSql {
  const [payg, reserved, left, limit, paygAllowed, amount] = [
    e.paygNano,
    e.reservedNano,
    e.creditsLeftNano,
    e.limitNano,
    e.payAsYouGo,
    e.amountNano,
  ].map((x) => `(${x})`);
  return raw(`CASE WHEN ${paygAllowed}
      THEN ${limit} IS NULL OR ${payg} + GREATEST(0, ${reserved} + ${amount} - ${left}) <= ${limit}
      ELSE ${reserved} + ${amount} <= ${left}
    END`);
}
