import type { Db } from "@/lib/db/prisma";
import { chargeInvoice } from "@/lib/ledger/pay-invoice";
import { AppError, notFound } from "@/lib/kernel/errors";
import { addCard } from "@/lib/ledger/payment-methods";
import type { CardInput, PaymentProcessor } from "@/lib/payments/processor";

export type PayWith = { card: CardInput } | { paymentMethodId: string };

/**
 * "Pay online": pays an open or failed invoice of the account with another card, either a new
 * one (checked and saved like any added card) or one already on file. The invoice is charged at
 * most once, whatever the attempt: a double submit or a second tab gets 409.
 */
export async function payInvoiceOnline(
  db: Db,
  processor: PaymentProcessor,
  input: { accountId: string; number: string; payWith: PayWith },
) {
  const invoice = await db.invoice.findFirst({
    where: { accountId: input.accountId, number: input.number, status: { not: "draft" } },
    select: { id: true, status: true, number: true },
  });
  if (!invoice) throw notFound(`Invoice ${input.number}`, { number: input.number });
  if (invoice.status === "paid")
    throw new AppError(409, "invoice_paid", `Invoice ${invoice.number} is already paid.`);
  if (invoice.status === "void")
    throw new AppError(409, "invoice_void", `Invoice ${invoice.number} was voided.`);

  const paymentMethodId =
    "card" in input.payWith
      ? (await addCard(db, processor, { accountId: input.accountId, card: input.payWith.card })).id
      : input.payWith.paymentMethodId;
  const card = await db.paymentMethod.findFirst({
    where: { id: paymentMethodId, accountId: input.accountId, removedAt: null },
    select: { id: true },
  });
  if (!card) throw notFound("Card", { paymentMethodId });

  const result = await chargeInvoice(db, processor, { invoiceId: invoice.id, paymentMethodId: card.id });
  if (result.status === "failed")
    throw new AppError(402, result.failureCode, result.failureMessage, { number: invoice.number });
  if (!result.settledHere)
    throw new AppError(409, "invoice_paid", `Invoice ${invoice.number} is already paid.`);
  return result;
}
