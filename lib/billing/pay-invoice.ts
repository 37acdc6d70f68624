import type { Db } from "@/lib/db/prisma";
import { AppError, notFound } from "@/lib/http/errors";
import { chargeAccount } from "@/lib/payments/charge";
import type { PaymentProcessor } from "@/lib/payments/processor";

/**
 * Charges an unpaid invoice's amount due. `attempt` names the attempt ("auto" for the
 * month-end charge, a fresh id for each "Pay online"), so each attempt charges at most once.
 * Paid: the invoice is marked paid. Refused: it stays unpaid, marked failed, payable online.
 */
export async function chargeInvoice(
  db: Db,
  processor: PaymentProcessor,
  input: { invoiceId: string; attempt: string; paymentMethodId?: string },
): Promise<{ invoiceId: string; status: "paid" | "failed"; failureMessage?: string }> {
  const invoice = await db.invoice.findUnique({ where: { id: input.invoiceId } });
  if (!invoice) throw notFound("Invoice", { invoiceId: input.invoiceId });
  if (invoice.status === "paid") return { invoiceId: invoice.id, status: "paid" };
  if (invoice.status === "void")
    throw new AppError(409, "invoice_void", `Invoice ${invoice.number} was voided.`);
  // A charge that succeeded before a crash kept the invoice from being marked paid: mark it
  // now, and never charge it a second time.
  const succeeded = await db.payment.findFirst({ where: { invoiceId: invoice.id, status: "succeeded" } });
  if (succeeded) {
    await db.invoice.update({
      where: { id: invoice.id },
      data: { status: "paid", paidAt: succeeded.updatedAt },
    });
    return { invoiceId: invoice.id, status: "paid" };
  }

  const payment = await chargeAccount(db, processor, {
    accountId: invoice.accountId,
    amountCents: invoice.amountDueCents,
    kind: "invoice_charge",
    invoiceId: invoice.id,
    idempotencyKey: `invoice:${invoice.id}:${input.attempt}`,
    description: `Invoice ${invoice.number}`,
    paymentMethodId: input.paymentMethodId,
  });
  if (payment.status === "succeeded") {
    await db.invoice.update({ where: { id: invoice.id }, data: { status: "paid", paidAt: new Date() } });
    return { invoiceId: invoice.id, status: "paid" };
  }
  await db.invoice.update({ where: { id: invoice.id }, data: { status: "failed" } });
  return { invoiceId: invoice.id, status: "failed", failureMessage: payment.failureMessage ?? undefined };
}
