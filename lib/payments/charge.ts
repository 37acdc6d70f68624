import type { Db } from "@/lib/db/prisma";
import { ensureCustomer } from "./customer";
import type { PaymentProcessor } from "./processor";

export interface ChargeRequest {
  accountId: string;
  amountCents: number;
  kind: "threshold_charge" | "invoice_charge";
  invoiceId?: string;
  /** The same key is the same charge: retrying it never charges twice. */
  idempotencyKey: string;
  description: string;
  /** A specific card (paying an open invoice online); else the account's default card. */
  paymentMethodId?: string;
}

/**
 * Charges an account and records the payment. The payment row is written (pending) before the
 * processor is called with the same idempotency key, so a crash in between is resolved by
 * calling again: the processor answers the first call's result instead of charging twice.
 */
export async function chargeAccount(db: Db, processor: PaymentProcessor, req: ChargeRequest) {
  const byKey = { idempotencyKey: req.idempotencyKey };
  const existing = await db.payment.findUnique({ where: byKey });
  if (existing && existing.status !== "pending") return existing;

  const card = await db.paymentMethod.findFirst({
    where: req.paymentMethodId
      ? { id: req.paymentMethodId, accountId: req.accountId, removedAt: null }
      : { accountId: req.accountId, isDefault: true, removedAt: null },
  });
  const base = {
    accountId: req.accountId,
    kind: req.kind,
    amountCents: req.amountCents,
    invoiceId: req.invoiceId ?? null,
    paymentMethodId: card?.id ?? null,
    idempotencyKey: req.idempotencyKey,
  };
  // ON CONFLICT DO NOTHING: when two processes charge the same key at once, one row is written
  // and both go on with it; the processor's own idempotency makes their calls one charge.
  if (!card) {
    await db.payment.createMany({
      data: [
        {
          ...base,
          status: "failed",
          failureCode: "no_payment_method",
          failureMessage: "There is no card on file. Add a card in your billing settings to pay.",
        },
      ],
      skipDuplicates: true,
    });
    return db.payment.findUniqueOrThrow({ where: byKey });
  }
  await db.payment.createMany({ data: [{ ...base, status: "pending" }], skipDuplicates: true });
  const pending = await db.payment.findUniqueOrThrow({ where: byKey });
  if (pending.status !== "pending") return pending;

  const customerRef = await ensureCustomer(db, processor, req.accountId);
  const result = await processor.charge({
    customerRef,
    cardRef: card.processorRef,
    amountCents: req.amountCents,
    idempotencyKey: req.idempotencyKey,
    description: req.description,
  });
  await db.payment.updateMany({
    where: { id: pending.id, status: "pending" },
    data: result.ok
      ? { status: "succeeded", processorRef: result.ref, updatedAt: new Date() }
      : { status: "failed", failureCode: result.code, failureMessage: result.message, updatedAt: new Date() },
  });
  return db.payment.findUniqueOrThrow({ where: byKey });
}
