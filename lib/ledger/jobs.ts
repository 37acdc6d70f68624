import type { Db } from "@/lib/db/prisma";
import type { PaymentProcessor } from "@/lib/payments/processor";
import { billingNow } from "@/lib/kernel/clock";
import { closeMonth } from "./close-month";
import { collectThresholdCharges } from "./collect-threshold-charges";
import { periodStart } from "@/lib/kernel/period";
import { renewSubscriptions } from "./subscriptions";
import { sweepExpiredReservations } from "@/lib/ledger/reserve";
import { sweepExpiredTokenHolds } from "@/lib/ledger/token-budget";
import { processAlerts } from "@/lib/alerts/process";
import { poolOf } from "@/lib/db/prisma";
import { readEnv } from "@/lib/config/env";
import { dropUsagePartitionsBefore, ensureUsagePartitions, readyMonths } from "@/lib/db/usage-partitions";
import { retentionHorizon } from "@/lib/kernel/retention";

/** Arbitrary constant: the advisory lock that keeps two app instances from running jobs at once. */
const JOBS_LOCK_KEY = 7_240_213_002;

/**
 * The scheduled billing work, run every minute by the app (and by `npm run admin --
 * run-billing-jobs`): release holds that were never settled, create the coming months' usage
 * partitions and drop those past retention (by real time: moving the billing clock never
 * deletes data), collect threshold charges, deliver alerts, renew subscriptions that are due,
 * and close every finished month that still has uninvoiced usage. Each step is idempotent; the
 * lock only saves two instances from doing the same work twice.
 */
export async function runBillingJobs(
  db: Db,
  processor: PaymentProcessor,
  opts: { production: boolean; retentionMonths?: number },
) {
  return db.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRaw<
        { locked: boolean }[]
      >`SELECT pg_try_advisory_xact_lock(${JOBS_LOCK_KEY}) AS locked`;
      if (!lock?.locked) return { skipped: true as const };
      const now = await billingNow(db, opts);
      const sweptHolds = await sweepExpiredReservations(db, new Date());
      const sweptTokenHolds = await sweepExpiredTokenHolds(db, new Date());
      await ensureUsagePartitions(poolOf(db), [...readyMonths(now), ...readyMonths(new Date())]);
      const droppedUsageMonths = await dropUsagePartitionsBefore(
        poolOf(db),
        retentionHorizon(new Date(), opts.retentionMonths ?? readEnv().USAGE_RETENTION_MONTHS),
      );
      const thresholdCharges = await collectThresholdCharges(db, processor);
      const alerts = await processAlerts(db);
      const renewals = await renewSubscriptions(db, processor, { now });
      const current = periodStart(now);
      const months = await db.$queryRaw<{ period: Date }[]>`
        SELECT DISTINCT date_trunc('month', d.day)::date AS period FROM usage_daily d
        WHERE d.mode = 'routed' AND d.day < ${current.toISOString().slice(0, 10)}::date
          AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.account_id = d.account_id AND i.kind = 'usage'
                          AND i.period_start = date_trunc('month', d.day)::date)
        ORDER BY 1`;
      const closed = [];
      for (const { period } of months) closed.push(await closeMonth(db, processor, { period, now }));
      return {
        skipped: false as const,
        now,
        sweptHolds,
        sweptTokenHolds,
        droppedUsageMonths,
        thresholdCharges: thresholdCharges.length,
        alerts,
        renewals: renewals.length,
        closed,
      };
    },
    { timeout: 10 * 60_000, maxWait: 10_000 },
  );
}
