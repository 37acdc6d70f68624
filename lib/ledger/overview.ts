import type { Db } from "@/lib/db/prisma";
import { planInForce, PLAN_LABELS } from "@/lib/pricing/plans";
import { isoDay, nextPeriod, periodStart } from "@/lib/kernel/period";
import { storageOverageTb } from "@/lib/pricing/storage";

type PlanName = "free" | "pro" | "team" | "enterprise";

/** What the billing page shows about an account, JSON-safe: nano-dollars as decimal strings, instants as ISO. */
export interface BillingOverview {
  kind: "user" | "org";
  plan: {
    id: PlanName;
    label: string;
    perSeat: boolean;
    feeCents: number;
    monthlyCreditsNano: string;
    payAsYouGo: boolean;
    includedStorageTb: number;
    storageOverageCentsPerTb: number;
  };
  subscription: {
    status: "active" | "past_due";
    seats: number;
    currentPeriodEnd: string;
    cancelAtPeriodEnd: boolean;
  } | null;
  /** Org accounts: the seats paid for, the members now, and what the next renewal sets. */
  seats: { current: number; members: number; atRenewal: number; renewalFeeCents: number } | null;
  credits: { includedNano: string; usedNano: string };
  storage: {
    includedTb: number;
    currentBytes: string;
    /** The period's peak, which the renewal bills above what is included. */
    peakBytes: string;
    overageTb: number;
    overageCents: number;
  };
  threshold: {
    thresholdCents: number;
    /** Pay-as-you-go of the month not yet charged: a charge is made each time it reaches the threshold. */
    accruedNano: string;
    charges: {
      seq: number;
      amountCents: number;
      createdAt: string;
      status: "pending" | "succeeded" | "failed" | "canceled" | "not_charged_yet";
      failureMessage: string | null;
    }[];
  };
  period: { start: string; end: string };
  /** For a Free personal account: what PRO would cost and include, from the catalog. */
  proOffer: { feeCents: number; monthlyCreditsNano: string; includedStorageTb: number } | null;
}

/** Plan, seats, storage, this month's credits and threshold charges of one account, at `now` (the billing clock). */
export async function billingOverview(db: Db, accountId: string, now: Date): Promise<BillingOverview> {
  const account = await db.billingAccount.findUniqueOrThrow({
    where: { id: accountId },
    select: {
      kind: true,
      plan: true,
      seats: true,
      thresholdCents: true,
      org: { select: { _count: { select: { memberships: true } } } },
      subscriptions: {
        where: { status: { in: ["active", "past_due"] } },
        orderBy: { createdAt: "desc" },
        take: 1,
      },
    },
  });
  const terms = await planInForce(db, account.plan, now);
  const period = periodStart(now);
  const [counters, charges, latestStorage] = await Promise.all([
    db.accountPeriod.findUnique({ where: { accountId_period: { accountId, period } } }),
    db.thresholdCharge.findMany({
      where: { accountId, period },
      orderBy: { seq: "asc" },
      include: { payment: { select: { status: true, failureMessage: true } } },
    }),
    db.storageUsage.findFirst({ where: { accountId, day: { lte: now } }, orderBy: { day: "desc" } }),
  ]);
  const sub = account.subscriptions[0] ?? null;
  // The renewal bills the peak of the subscription's period (the month, without one).
  const since = sub ? sub.currentPeriodStart : period;
  const [peak] = await db.$queryRaw<{ bytes: bigint | null }[]>`
    SELECT max(bytes) AS bytes FROM storage_usage
    WHERE account_id = ${accountId}::uuid AND day >= ${isoDay(since)}::date AND day <= ${isoDay(now)}::date`;
  const peakBytes = peak?.bytes ?? 0n;
  const includedTb = terms.includedStorageTb * (terms.perSeat ? account.seats : 1);
  const overTb = sub ? storageOverageTb(peakBytes, includedTb) : 0n;
  const pro = account.kind === "user" && account.plan === "free" ? await planInForce(db, "pro", now) : null;
  const members = account.org?._count.memberships ?? 0;
  const atRenewal = Math.max(1, members);

  return {
    kind: account.kind,
    plan: {
      id: account.plan,
      label: PLAN_LABELS[account.plan],
      perSeat: terms.perSeat,
      feeCents: terms.feeCents,
      monthlyCreditsNano: terms.monthlyCreditsNano.toString(),
      payAsYouGo: terms.payAsYouGo,
      includedStorageTb: terms.includedStorageTb,
      storageOverageCentsPerTb: terms.storageOverageCentsPerTb,
    },
    subscription: sub
      ? {
          status: sub.status === "past_due" ? "past_due" : "active",
          seats: sub.seats,
          currentPeriodEnd: sub.currentPeriodEnd.toISOString(),
          cancelAtPeriodEnd: sub.cancelAtPeriodEnd,
        }
      : null,
    seats:
      account.kind === "org"
        ? {
            current: account.seats,
            members,
            atRenewal,
            renewalFeeCents: terms.feeCents * (terms.perSeat ? atRenewal : 1),
          }
        : null,
    credits: {
      includedNano: (
        counters?.creditsIncludedNano ?? terms.monthlyCreditsNano * BigInt(terms.perSeat ? account.seats : 1)
      ).toString(),
      usedNano: (counters?.creditsUsedNano ?? 0n).toString(),
    },
    storage: {
      includedTb,
      currentBytes: (latestStorage?.bytes ?? 0n).toString(),
      peakBytes: peakBytes.toString(),
      overageTb: Number(overTb),
      overageCents: Number(overTb) * terms.storageOverageCentsPerTb,
    },
    threshold: {
      thresholdCents: account.thresholdCents,
      accruedNano: ((counters?.paygNano ?? 0n) - (counters?.thresholdChargedNano ?? 0n)).toString(),
      charges: charges.map((c) => ({
        seq: c.seq,
        amountCents: c.amountCents,
        createdAt: c.createdAt.toISOString(),
        status: c.payment?.status ?? "not_charged_yet",
        failureMessage: c.payment?.failureMessage ?? null,
      })),
    },
    period: { start: isoDay(period), end: isoDay(nextPeriod(period)) },
    proOffer: pro
      ? {
          feeCents: pro.feeCents,
          monthlyCreditsNano: pro.monthlyCreditsNano.toString(),
          includedStorageTb: pro.includedStorageTb,
        }
      : null,
  };
}
