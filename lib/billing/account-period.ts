import type { DbTx } from "@/lib/db/prisma";
import { planInForce } from "@/lib/pricing/plans";
import { includedCreditsNano } from "./credits";

export interface LockedPeriod {
  creditsIncludedNano: bigint;
  creditsUsedNano: bigint;
  paygNano: bigint;
  reservedNano: bigint;
  thresholdChargedNano: bigint;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The account's counters for a month, created on first use with the month's included credits
 * (plan terms in force on the 1st, times seats for org plans) and locked (FOR UPDATE) until the
 * transaction ends: every change to a month's money goes through this row, one at a time.
 */
export async function lockAccountPeriod(
  tx: DbTx,
  account: { id: string; plan: "free" | "pro" | "team" | "enterprise"; seats: number },
  period: Date,
): Promise<LockedPeriod> {
  const existing = await selectForUpdate(tx, account.id, period);
  if (existing) return existing;
  const terms = await planInForce(tx, account.plan, period);
  await tx.$executeRaw`
    INSERT INTO account_periods (account_id, period, credits_included_nano)
    VALUES (${account.id}::uuid, ${day(period)}::date, ${includedCreditsNano(terms, account.seats)})
    ON CONFLICT (account_id, period) DO NOTHING`;
  return (await selectForUpdate(tx, account.id, period))!;
}

async function selectForUpdate(tx: DbTx, accountId: string, period: Date): Promise<LockedPeriod | null> {
  const rows = await tx.$queryRaw<LockedPeriod[]>`
    SELECT credits_included_nano AS "creditsIncludedNano", credits_used_nano AS "creditsUsedNano",
           payg_nano AS "paygNano", reserved_nano AS "reservedNano",
           threshold_charged_nano AS "thresholdChargedNano"
    FROM account_periods WHERE account_id = ${accountId}::uuid AND period = ${day(period)}::date
    FOR UPDATE`;
  return rows[0] ?? null;
}
