import { poolOf, type Db } from "@/lib/db/prisma";
import { fireAlertAtRefusal } from "@/lib/alerts/fire";
import { sql } from "@/lib/db/sql";
import { AppError } from "@/lib/kernel/errors";
import { formatCents } from "@/lib/money/format";
import { NANO_PER_CENT, roundNanoToCents } from "@/lib/money/units";
import { isoDay, nextPeriod, periodStart } from "@/lib/kernel/period";
import { refusalMessages } from "@/lib/ledger/settle";
import type { Payer } from "./payer";
import { holdFitsSql } from "./room";

/** A hold never settled (the process died mid-request) is swept after this long, by default. */
export const RESERVATION_TTL_MS = 10 * 60_000;

const holdFits = holdFitsSql({
  paygNano: "p.payg_nano",
  reservedNano: "p.reserved_nano",
  creditsLeftNano: "p.credits_included_nano - p.credits_used_nano",
  limitNano: "h.limit_nano",
  payAsYouGo: "h.payg_allowed",
  amountNano: "h.amount",
});

/**
 * Holds an upper bound of a routed request's cost before it runs, in ONE conditional UPDATE of
 * the account's month row: it succeeds only if the month can absorb the hold on top of what is
 * spent and already held (holdFits, lib/ledger/room.ts). Concurrent requests serialize on that row, so
 * the limit holds however many run at once. Settlement (settleUsage) releases the hold.
 */
export async function reserve(
  db: Db,
  input: { payer: Payer; requestId: string; amountNano: bigint; now: Date; ttlMs?: number },
) {
  const period = periodStart(input.now);
  const terms = input.payer;
  const limitNano =
    input.payer.spendingLimitCents === null ? null : BigInt(input.payer.spendingLimitCents) * NANO_PER_CENT;
  const expiresAt = new Date(input.now.getTime() + (input.ttlMs ?? RESERVATION_TTL_MS));
  const pool = poolOf(db);
  const attempt = async () =>
    (
      await pool.query<{ id: string }>(sql`
    WITH held AS (
      UPDATE account_periods p SET reserved_nano = p.reserved_nano + h.amount, updated_at = now()
      FROM (SELECT ${input.amountNano}::bigint AS amount, ${limitNano}::bigint AS limit_nano,
                   ${terms.payAsYouGo}::boolean AS payg_allowed) h
      WHERE p.account_id = ${input.payer.accountId}::uuid AND p.period = ${isoDay(period)}::date
        AND ${holdFits}
      RETURNING p.account_id
    )
    INSERT INTO reservations (account_id, period, request_id, amount_nano, expires_at)
    SELECT account_id, ${isoDay(period)}::date, ${input.requestId}, ${input.amountNano}, ${expiresAt} FROM held
    RETURNING id`)
    ).rows;

  let rows = await attempt();
  if (rows.length === 0) {
    // The month's row may not exist yet (here or in a concurrent request): make sure it does,
    // with its credits, then try once more.
    await pool.query(sql`
      INSERT INTO account_periods (account_id, period, credits_included_nano)
      VALUES (${input.payer.accountId}::uuid, ${isoDay(period)}::date, ${input.payer.includedCreditsNano})
      ON CONFLICT (account_id, period) DO NOTHING`);
    rows = await attempt();
  }
  if (rows[0]) return { reservationId: rows[0].id, period, expiresAt };
  throw await refusal(db, input.payer, period, terms.payAsYouGo, limitNano);
}

/** Why the hold did not fit, with the limit, its value, what is spent, and when it resets. */
async function refusal(db: Db, payer: Payer, period: Date, payAsYouGo: boolean, limitNano: bigint | null) {
  const counters = await db.accountPeriod.findUniqueOrThrow({
    where: { accountId_period: { accountId: payer.accountId, period } },
  });
  const resetsAt = nextPeriod(period).toISOString();
  // A refusal is the 100% alert even when holds, not spend, filled the last percent.
  await fireAlertAtRefusal(db, {
    accountId: payer.accountId,
    period,
    kind: payAsYouGo ? "spending_limit" : "credits",
    usedNano: payAsYouGo ? counters.paygNano : counters.creditsUsedNano,
    capNano: payAsYouGo ? limitNano : counters.creditsIncludedNano,
  });
  if (!payAsYouGo) {
    return new AppError(
      402,
      "credits_exhausted",
      `Your monthly credits (${formatCents(roundNanoToCents(counters.creditsIncludedNano))}) are used up. Upgrade to PRO for more credits and pay-as-you-go, or add a custom provider key. Credits renew on ${resetsAt.slice(0, 10)}.`,
      {
        limit: "monthly_credits",
        limitCents: Number(roundNanoToCents(counters.creditsIncludedNano)),
        spentCents: Number(roundNanoToCents(counters.creditsUsedNano)),
        resetsAt,
      },
    );
  }
  const details = {
    limit: "spending_limit" as const,
    limitCents: Number(roundNanoToCents(limitNano!)),
    spentCents: Number(roundNanoToCents(counters.paygNano)),
    reservedCents: Number(roundNanoToCents(counters.reservedNano)),
    resetsAt,
  };
  return new AppError(
    402,
    "spending_limit_reached",
    refusalMessages.spending_limit_reached(payer.orgName, details),
    { ...details, ...(payer.orgName ? { org: payer.orgName } : {}) },
  );
}

/** Releases holds that were never settled (a crash mid-request), so they stop counting against the month. */
export async function sweepExpiredReservations(db: Db, now: Date): Promise<number> {
  const [row] = await db.$queryRaw<{ swept: bigint }[]>`
    WITH gone AS (
      DELETE FROM reservations WHERE expires_at < ${now} RETURNING account_id, period, amount_nano
    ), sums AS (
      SELECT account_id, period, sum(amount_nano)::bigint AS amount, count(*) AS n FROM gone GROUP BY 1, 2
    ), released AS (
      UPDATE account_periods p SET reserved_nano = GREATEST(0, p.reserved_nano - sums.amount), updated_at = now()
      FROM sums WHERE p.account_id = sums.account_id AND p.period = sums.period
      RETURNING sums.n
    )
    SELECT coalesce(sum(n), 0)::bigint AS swept FROM released`;
  return Number(row?.swept ?? 0n);
}

/** Releases one hold without settling it (the upstream call failed: nothing to bill); false when there was none. */
export async function releaseReservation(
  db: Db,
  hold: { accountId: string; requestId: string },
): Promise<boolean> {
  const released = await db.$executeRaw`
    WITH gone AS (
      DELETE FROM reservations WHERE account_id = ${hold.accountId}::uuid AND request_id = ${hold.requestId}
      RETURNING account_id, period, amount_nano
    )
    UPDATE account_periods p SET reserved_nano = GREATEST(0, p.reserved_nano - gone.amount_nano), updated_at = now()
    FROM gone WHERE p.account_id = gone.account_id AND p.period = gone.period`;
  return released > 0;
}
