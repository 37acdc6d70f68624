import type { Db, DbTx } from "@/lib/db/prisma";
import type { Invoice } from "@/lib/db/generated/client";
import { addMonthsUtc } from "@/lib/kernel/months";

/**
 * Marks an invoice paid, once: true for the one call that did. A paid subscription invoice
 * starts or restores what it paid for, in the same transaction, so a crash cannot leave a paid
 * invoice without its plan (or a plan without its payment).
 */
export async function invoicePaid(db: Db, invoice: Invoice, paidAt: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.invoice.updateMany({
      where: { id: invoice.id, status: { not: "paid" } },
      data: { status: "paid", paidAt },
    });
    if (count === 1 && invoice.kind === "subscription") await subscriptionPaid(tx, invoice);
    return count === 1;
  });
}

/**
 * A renewal paid late brings a past-due subscription back; a personal account's first PRO
 * month paid starts PRO from when it was asked for (the invoice's issue time).
 */
async function subscriptionPaid(tx: DbTx, invoice: Invoice) {
  const live = await tx.subscription.findFirst({
    where: { accountId: invoice.accountId, status: { in: ["active", "past_due"] } },
  });
  if (live) {
    if (live.status === "past_due")
      await tx.subscription.update({ where: { id: live.id }, data: { status: "active" } });
    return;
  }
  const account = await tx.billingAccount.findUniqueOrThrow({
    where: { id: invoice.accountId },
    select: { kind: true },
  });
  if (account.kind !== "user") return; // an org's subscription starts with the org
  await tx.subscription.create({
    data: {
      accountId: invoice.accountId,
      plan: "pro",
      status: "active",
      seats: 1,
      currentPeriodStart: invoice.issuedAt,
      currentPeriodEnd: addMonthsUtc(invoice.issuedAt, 1),
    },
  });
  await tx.billingAccount.update({ where: { id: invoice.accountId }, data: { plan: "pro" } });
}
