import type { DbOrTx } from "@/lib/db/prisma";
import { includedCreditsNano } from "@/lib/ledger/credits";
import { paygRoomNano } from "@/lib/ledger/room";
import { nextThresholdChargeAt } from "@/lib/ledger/threshold";
import { nextPeriod, periodStart } from "@/lib/kernel/period";
import { centsToNano } from "@/lib/money/units";
import { planInForce } from "@/lib/pricing/plans";

/** This month at a glance, as JSON-safe strings (nano-dollars) so a page can hand it to the client. */
export interface MonthGlance {
  period: string;
  /** When credits renew and the limit resets: 00:00 UTC on the 1st of next month. */
  resetsAt: string;
  plan: "free" | "pro" | "team" | "enterprise";
  payAsYouGo: boolean;
  creditsIncludedNano: string;
  creditsUsedNano: string;
  paygNano: string;
  /** Holds of requests in flight, counted against the limit until they settle. */
  reservedNano: string;
  thresholdCents: number;
  /** Pay-as-you-go already charged by threshold charges this month. */
  thresholdChargedNano: string;
  /** Pay-as-you-go level at which the next threshold charge is made; null without pay-as-you-go. */
  nextChargeAtNano: string | null;
  spendingLimitCents: number | null;
  /** What is left under the limit (never negative); null when there is no limit. */
  roomLeftNano: string | null;
}

/**
 * The month's counters of an account (the same row enforcement reserves against), with the
 * plan's included credits when nothing has been used yet this month.
 */
export async function monthGlance(db: DbOrTx, input: { accountId: string; now: Date }): Promise<MonthGlance> {
  const period = periodStart(input.now);
  const [account, counters] = await Promise.all([
    db.billingAccount.findUniqueOrThrow({
      where: { id: input.accountId },
      select: { plan: true, seats: true, thresholdCents: true, spendingLimitCents: true },
    }),
    db.accountPeriod.findUnique({ where: { accountId_period: { accountId: input.accountId, period } } }),
  ]);
  const terms = await planInForce(db, account.plan, input.now);
  const payg = counters?.paygNano ?? 0n;
  const reserved = counters?.reservedNano ?? 0n;
  const charged = counters?.thresholdChargedNano ?? 0n;
  const nextChargeAt = nextThresholdChargeAt({
    paygNano: payg,
    chargedNano: charged,
    thresholdCents: account.thresholdCents,
  });
  const included = counters?.creditsIncludedNano ?? includedCreditsNano(terms, account.seats);
  const room = paygRoomNano({
    paygNano: payg,
    reservedNano: reserved,
    creditsLeftNano: included - (counters?.creditsUsedNano ?? 0n),
    limitNano: account.spendingLimitCents === null ? null : centsToNano(account.spendingLimitCents),
  });
  return {
    period: period.toISOString().slice(0, 10),
    resetsAt: nextPeriod(period).toISOString(),
    plan: account.plan,
    payAsYouGo: terms.payAsYouGo,
    creditsIncludedNano: included.toString(),
    creditsUsedNano: (counters?.creditsUsedNano ?? 0n).toString(),
    paygNano: payg.toString(),
    reservedNano: reserved.toString(),
    thresholdCents: account.thresholdCents,
    thresholdChargedNano: charged.toString(),
    nextChargeAtNano: terms.payAsYouGo ? nextChargeAt.toString() : null,
    spendingLimitCents: account.spendingLimitCents,
    roomLeftNano: room === null ? null : (room > 0n ? room : 0n).toString(),
  };
}
