import type { Db } from "@/lib/db/prisma";
import { chargeAccount } from "@/lib/ledger/charge";
import type { PaymentProcessor } from "@/lib/payments/processor";
import { paymentProcessorFromEnv } from "@/lib/payments/index";
import { formatPeriod } from "@/lib/kernel/period";

/**
 * Charges the threshold charges that usage made due and no payment has been tried for yet.
 * Each charge's idempotency key is its (account, month, seq), so running this twice, or from
 * two processes at once, charges each exactly once. A refused charge stays unpaid and its
 * amount is simply due on the month-end invoice instead.
 */
export async function collectThresholdCharges(db: Db, processor: PaymentProcessor, accountId?: string) {
  const due = await db.thresholdCharge.findMany({
    where: { paymentId: null, ...(accountId ? { accountId } : {}) },
    orderBy: [{ period: "asc" }, { seq: "asc" }],
  });
  const results = [];
  for (const charge of due) {
    const payment = await chargeAccount(db, processor, {
      accountId: charge.accountId,
      amountCents: charge.amountCents,
      kind: "threshold_charge",
      idempotencyKey: `threshold:${charge.accountId}:${formatPeriod(charge.period)}:${charge.seq}`,
      description: `Usage threshold payment ${charge.seq} for ${formatPeriod(charge.period)}`,
    });
    await db.thresholdCharge.updateMany({
      where: { id: charge.id, paymentId: null },
      data: { paymentId: payment.id },
    });
    results.push({ seq: charge.seq, status: payment.status });
  }
  return results;
}

/**
 * After usage made threshold charges due: charge them now, after the answer is sent, without
 * making the request wait. The minute job retries any that fail here.
 */
export function collectThresholdChargesSoon(db: Db): void {
  void collectThresholdCharges(db, paymentProcessorFromEnv(db)).catch((e: unknown) =>
    console.error("[threshold-charges]", e),
  );
}
