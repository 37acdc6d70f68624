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
  const existing = await db.payment.findUnique({ where: { idempotencyKey: req.idempotencyKey } });
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
  };
  if (!card) {
    return db.payment.upsert({
      where: { idempotencyKey: req.idempotencyKey },
      create: {
        ...base,
        idempotencyKey: req.idempotencyKey,
        status: "failed",
        failureCode: "no_payment_method",
        failureMessage: "There is no card on file. Add a card in your billing settings to pay.",
      },
      update: {},
    });
  }

  const pending =
    existing ??
    (await db.payment.create({ data: { ...base, idempotencyKey: req.idempotencyKey, status: "pending" } }));
  const customerRef = await ensureCustomer(db, processor, req.accountId);
  const result = await processor.charge({
    customerRef,
    cardRef: card.processorRef,
    amountCents: req.amountCents,
    idempotencyKey: req.idempotencyKey,
    description: req.description,
  });
  return db.payment.update({
    where: { id: pending.id },
    data: result.ok
      ? { status: "succeeded", processorRef: result.ref, updatedAt: new Date() }
      : { status: "failed", failureCode: result.code, failureMessage: result.message, updatedAt: new Date() },
  });
}
