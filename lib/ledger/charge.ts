import type { Db, DbOrTx } from "@/lib/db/prisma";
import type { Payment } from "@/lib/db/generated/client";
import { ensureCustomer } from "@/lib/payments/customer";
import type { PaymentProcessor } from "@/lib/payments/processor";

export interface ChargeRequest {
  accountId: string;
  amountCents: number;
  kind: "threshold_charge" | "invoice_charge";
  invoiceId?: string;
  /** The business event paid for: the same key is the same charge, never charged twice. */
  idempotencyKey: string;
  description: string;
  /** A specific card (paying an open invoice online); else the account's default card. */
  paymentMethodId?: string;
}

export const NO_CARD = {
  failureCode: "no_payment_method",
  failureMessage: "There is no card on file. Add a card in your billing settings to pay.",
} as const;

/** The card a charge uses: the one named, or the account's default; null when there is none. */
export function chargeCard(db: DbOrTx, req: { accountId: string; paymentMethodId?: string | null }) {
  return db.paymentMethod.findFirst({
    where: req.paymentMethodId
      ? { id: req.paymentMethodId, accountId: req.accountId, removedAt: null }
      : { accountId: req.accountId, isDefault: true, removedAt: null },
  });
}

/**
 * Writes the payment row that claims a charge (pending, or failed at once without a card).
 * ON CONFLICT DO NOTHING: `claimed` is false when another call holds the key, or when the
 * invoice already has a charge in flight or paid (payments_one_live_charge_per_invoice).
 */
export async function claimPayment(db: Db, req: ChargeRequest) {
  const card = await chargeCard(db, req);
  const { count } = await db.payment.createMany({
    data: [
      {
        accountId: req.accountId,
        kind: req.kind,
        amountCents: req.amountCents,
        invoiceId: req.invoiceId ?? null,
        paymentMethodId: card?.id ?? null,
        idempotencyKey: req.idempotencyKey,
        ...(card ? { status: "pending" as const } : { status: "failed" as const, ...NO_CARD }),
      },
    ],
    skipDuplicates: true,
  });
  return {
    claimed: count === 1,
    payment: await db.payment.findUnique({ where: { idempotencyKey: req.idempotencyKey } }),
  };
}

/**
 * Asks the processor to charge a pending payment and records its answer. The processor gets
 * the payment's own key, so asking again (a crash before the answer was recorded) charges once.
 */
export async function capturePayment(
  db: Db,
  processor: PaymentProcessor,
  payment: Payment,
  description: string,
): Promise<Payment> {
  if (payment.status !== "pending") return payment;
  const card = payment.paymentMethodId
    ? await db.paymentMethod.findUnique({ where: { id: payment.paymentMethodId } })
    : null;
  if (!card) {
    await db.payment.updateMany({
      where: { id: payment.id, status: "pending" },
      data: { status: "failed", ...NO_CARD, updatedAt: new Date() },
    });
    return db.payment.findUniqueOrThrow({ where: { id: payment.id } });
  }
  const customerRef = await ensureCustomer(db, processor, payment.accountId);
  const result = await processor.charge({
    customerRef,
    cardRef: card.processorRef,
    amountCents: payment.amountCents,
    idempotencyKey: payment.idempotencyKey,
    description,
  });
  await db.payment.updateMany({
    where: { id: payment.id, status: "pending" },
    data: result.ok
      ? { status: "succeeded", processorRef: result.ref, updatedAt: new Date() }
      : { status: "failed", failureCode: result.code, failureMessage: result.message, updatedAt: new Date() },
  });
  return db.payment.findUniqueOrThrow({ where: { id: payment.id } });
}

/**
 * Charges an account once per idempotency key: the payment row is committed (pending) before
 * the processor is called with the same key. Concurrent or repeated calls with one key share
 * the row, and the processor's idempotency makes their calls one charge.
 */
export async function chargeAccount(db: Db, processor: PaymentProcessor, req: ChargeRequest) {
  const { payment } = await claimPayment(db, req);
  if (!payment) throw new Error(`payment ${req.idempotencyKey} vanished`);
  return capturePayment(db, processor, payment, req.description);
}
