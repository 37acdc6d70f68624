import { poolOf, type Db } from "@/lib/db/prisma";
import { sql } from "@/lib/db/sql";
import { formatPeriod, nextPeriod, periodStart, previousPeriod } from "@/lib/kernel/period";
import { previewLimit, type LimitPreview, type ReplayRequest } from "./preview-limit";

export interface LastMonthTraffic {
  /** YYYY-MM */
  month: string;
  creditsIncludedNano: bigint;
  /** Pay-as-you-go the ledger billed for the month, to compare the replay with. */
  billedPaygNano: bigint;
  requests: ReplayRequest[];
}

/**
 * The previous month (by the billing clock's `now`) of an account's routed requests, in the order
 * they were billed, from the raw usage events: one ordered query on that month's partition. Custom-
 * key requests are not capped by the limit, so they are left out. The credits pool is the one the
 * month had (its counters row); a month without one had no usage.
 */
export async function loadLastMonthTraffic(
  db: Db,
  input: { accountId: string; now: Date },
): Promise<LastMonthTraffic> {
  const month = previousPeriod(periodStart(input.now));
  const [events, counters] = await Promise.all([
    poolOf(db).query<{ cost: string; payg: string; at: Date }>(sql`
      SELECT cost_nano::text AS cost, payg_nano::text AS payg, occurred_at AS at
      FROM usage_events
      WHERE account_id = ${input.accountId}::uuid AND mode = 'routed'
        AND occurred_at >= ${month}::timestamptz AND occurred_at < ${nextPeriod(month)}::timestamptz
      ORDER BY occurred_at, id`),
    db.accountPeriod.findUnique({
      where: { accountId_period: { accountId: input.accountId, period: month } },
      select: { creditsIncludedNano: true },
    }),
  ]);
  let billedPaygNano = 0n;
  const requests = events.rows.map((r) => {
    billedPaygNano += BigInt(r.payg);
    return { costNano: BigInt(r.cost), occurredAt: r.at };
  });
  return {
    month: formatPeriod(month),
    creditsIncludedNano: counters?.creditsIncludedNano ?? 0n,
    billedPaygNano,
    requests,
  };
}

export type LimitPreviewResult = LimitPreview & Omit<LastMonthTraffic, "requests" | "creditsIncludedNano">;

/** How last month would have fared under `limitCents`. */
export async function previewLimitForAccount(
  db: Db,
  input: { accountId: string; now: Date; limitCents: number },
): Promise<LimitPreviewResult> {
  const traffic = await loadLastMonthTraffic(db, input);
  return {
    month: traffic.month,
    billedPaygNano: traffic.billedPaygNano,
    ...previewLimit(traffic.requests, {
      limitCents: input.limitCents,
      creditsIncludedNano: traffic.creditsIncludedNano,
    }),
  };
}
