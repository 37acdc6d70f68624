import type { Db } from "@/lib/db/prisma";
import type { Invoice, Payment } from "@/lib/db/generated/client";
import { AppError, conflict, notFound } from "@/lib/kernel/errors";
import { capturePayment, claimPayment } from "@/lib/ledger/charge";
import type { PaymentProcessor } from "@/lib/payments/processor";
import { invoicePaid } from "./invoice-paid";

/** A charge still pending after this long was cut off (a crash): anyone may finish it. */
export const STALE_CHARGE_MS = 2 * 60_000;

export type InvoiceCharge =
  | { invoiceId: string; status: "paid"; settledHere: boolean }
  | { invoiceId: string; status: "failed"; failureCode: string; failureMessage: string };

const description = (invoice: Invoice) => `Invoice ${invoice.number}`;
const liveCharge = (db: Db, invoiceId: string) =>
  db.payment.findFirst({
    where: { invoiceId, kind: "invoice_charge", status: { in: ["pending", "succeeded"] } },
  });

const failure = (invoice: Invoice, payment: Payment | null): InvoiceCharge => ({
  invoiceId: invoice.id,
  status: "failed",
  failureCode: payment?.failureCode ?? "payment_failed",
  failureMessage: payment?.failureMessage ?? "The payment failed. Try another card.",
});

/**
 * Charges an unpaid invoice's amount due, exactly once whatever calls it and how often.
 *
 * Each attempt's key is the invoice and the attempt's number (`invoice:<id>:<n>`), and its row
 * is committed before the processor is called; a unique index lets one charge of an invoice be
 * pending or succeeded at a time. So a concurrent attempt gets 409 `payment_in_progress`, a later
 * one finds the invoice paid, and only after a refusal may a new attempt (another card) charge.
 * `firstAttempt`: the month-end and renewal jobs make an invoice's first attempt only
 * (`invoice:<id>:1`): they finish it if a crash left it pending (same key and card), and report
 * its outcome if it was made; a refused invoice waits to be paid online. Anyone may finish a
 * pending charge once it is stale; its outcome is then this call's.
 * `settledHere` says whether this call is the one that marked the invoice paid.
 */
export async function chargeInvoice(
  db: Db,
  processor: PaymentProcessor,
  input: { invoiceId: string; paymentMethodId?: string; firstAttempt?: boolean; now?: Date },
): Promise<InvoiceCharge> {
  for (let round = 0; round < 5; round++) {
    const invoice = await db.invoice.findUnique({ where: { id: input.invoiceId } });
    if (!invoice) throw notFound("Invoice", { invoiceId: input.invoiceId });
    if (invoice.status === "paid") return { invoiceId: invoice.id, status: "paid", settledHere: false };
    if (invoice.status === "void")
      throw new AppError(409, "invoice_void", `Invoice ${invoice.number} was voided.`);

    let payment: Payment | null = await liveCharge(db, invoice.id);
    if (payment?.status === "pending") {
      const stale = Date.now() - payment.updatedAt.getTime() > STALE_CHARGE_MS;
      if (!input.firstAttempt && !stale)
        throw conflict(
          "payment_in_progress",
          `Invoice ${invoice.number} is being paid right now. Wait a moment, then reload the page.`,
          { number: invoice.number },
        );
      payment = await capturePayment(db, processor, payment, description(invoice));
    }
    if (!payment) {
      // The jobs' attempt is always the first: once made, its outcome is theirs to report.
      const attempts = input.firstAttempt
        ? 0
        : await db.payment.count({ where: { invoiceId: invoice.id, kind: "invoice_charge" } });
      const claim = await claimPayment(db, {
        accountId: invoice.accountId,
        amountCents: invoice.amountDueCents,
        kind: "invoice_charge",
        invoiceId: invoice.id,
        idempotencyKey: `invoice:${invoice.id}:${attempts + 1}`,
        description: description(invoice),
        paymentMethodId: input.paymentMethodId,
      });
      if (!claim.payment || (!claim.claimed && !input.firstAttempt)) continue; // another attempt got there first
      payment = await capturePayment(db, processor, claim.payment, description(invoice));
    }
    if (payment.status === "succeeded") {
      const settledHere = await invoicePaid(db, invoice, input.now ?? payment.updatedAt);
      return { invoiceId: invoice.id, status: "paid", settledHere };
    }
    await db.invoice.updateMany({ where: { id: invoice.id, status: "open" }, data: { status: "failed" } });
    return failure(invoice, payment);
  }
  throw conflict(
    "payment_in_progress",
    "The invoice is being paid right now. Wait a moment, then reload the page.",
  );
}
