import type { Db, DbTx } from "@/lib/db/prisma";
import { isUniqueViolation } from "@/lib/db/errors";
import { AppError, notFound } from "@/lib/kernel/errors";
import { ensureCustomer } from "@/lib/payments/customer";
import type { CardInput, PaymentProcessor } from "@/lib/payments/processor";
import { lockAccount } from "@/lib/db/account-lock";

/** Adding a card places this temporary hold, then releases it: it is never charged. */
export const CARD_CHECK_HOLD_CENTS = 1_000;

const publicFields = {
  id: true,
  brand: true,
  last4: true,
  expMonth: true,
  expYear: true,
  isDefault: true,
  createdAt: true,
} as const;

/**
 * Saves a card after checking it with a $10 authorization hold that is released at once. A
 * refused card is not saved and the error says why. The first card becomes the default. The
 * same card (by the processor's fingerprint) is saved once: adding it again, or in two tabs at
 * once, gets 409 `card_already_saved`, and the check's key is the card's, so it holds $10 once.
 */
export async function addCard(
  db: Db,
  processor: PaymentProcessor,
  input: { accountId: string; card: CardInput },
) {
  const customerRef = await ensureCustomer(db, processor, input.accountId);
  const saved = await processor.saveCard({ customerRef, card: input.card });
  if (!saved.ok) throw new AppError(402, saved.code, saved.message);
  const { fingerprint } = saved.card;
  const sameCard = { accountId: input.accountId, fingerprint };
  if (await db.paymentMethod.findFirst({ where: { ...sameCard, removedAt: null } }))
    throw alreadySaved(saved.card.last4);

  // The check is the n-th saving of this card on this account: a business event, not a request.
  const check = `${input.accountId}:${fingerprint}:${(await db.paymentMethod.count({ where: sameCard })) + 1}`;
  const hold = await processor.authorize({
    customerRef,
    cardRef: saved.card.processorRef,
    amountCents: CARD_CHECK_HOLD_CENTS,
    idempotencyKey: `card-check:${check}:hold`,
  });
  if (!hold.ok) throw new AppError(402, hold.code, hold.message);
  const release = await processor.release({ ref: hold.ref, idempotencyKey: `card-check:${check}:release` });

  return db
    .$transaction(async (tx) => {
      // Under the account's lock: two cards added at once cannot both become the default.
      await lockAccount(tx, input.accountId);
      const hasDefault =
        (await tx.paymentMethod.count({
          where: { accountId: input.accountId, isDefault: true, removedAt: null },
        })) > 0;
      const method = await tx.paymentMethod.create({
        data: {
          accountId: input.accountId,
          processor: processor.name,
          processorRef: saved.card.processorRef,
          fingerprint,
          brand: saved.card.brand,
          last4: saved.card.last4,
          expMonth: saved.card.expMonth,
          expYear: saved.card.expYear,
          isDefault: !hasDefault,
        },
        select: publicFields,
      });
      await tx.payment.createMany({
        data: [
          {
            accountId: input.accountId,
            paymentMethodId: method.id,
            kind: "authorization_hold",
            status: "succeeded",
            amountCents: CARD_CHECK_HOLD_CENTS,
            idempotencyKey: `card-check:${check}:hold`,
            processorRef: hold.ref,
          },
          {
            accountId: input.accountId,
            paymentMethodId: method.id,
            kind: "hold_release",
            status: release.ok ? "succeeded" : "failed",
            amountCents: CARD_CHECK_HOLD_CENTS,
            idempotencyKey: `card-check:${check}:release`,
            processorRef: release.ok ? release.ref : null,
            failureCode: release.ok ? null : release.code,
          },
        ],
      });
      return method;
    })
    .catch((e: unknown) => {
      if (isUniqueViolation(e)) throw alreadySaved(saved.card.last4); // the same card, in another tab
      throw e;
    });
}

const alreadySaved = (last4: string) =>
  new AppError(409, "card_already_saved", `The card ending in ${last4} is already saved.`, { last4 });

export function listCards(db: Db, accountId: string) {
  return db.paymentMethod.findMany({
    where: { accountId, removedAt: null },
    select: publicFields,
    orderBy: [{ isDefault: "desc" }, { createdAt: "desc" }],
  });
}

/** One of the account's cards that has not been removed; any other id is "not found". */
async function liveCard(tx: DbTx, input: { accountId: string; paymentMethodId: string }) {
  const card = await tx.paymentMethod.findFirst({
    where: { id: input.paymentMethodId, accountId: input.accountId, removedAt: null },
  });
  if (!card) throw notFound("Card", { paymentMethodId: input.paymentMethodId });
  return card;
}

export async function setDefaultCard(db: Db, input: { accountId: string; paymentMethodId: string }) {
  await db.$transaction(async (tx) => {
    const card = await liveCard(tx, input);
    await tx.paymentMethod.updateMany({
      where: { accountId: input.accountId, isDefault: true },
      data: { isDefault: false },
    });
    await tx.paymentMethod.update({ where: { id: card.id }, data: { isDefault: true } });
  });
}

/** Removes a card; if it was the default, the most recent remaining card becomes the default. */
export async function removeCard(db: Db, input: { accountId: string; paymentMethodId: string }) {
  await db.$transaction(async (tx) => {
    const card = await tx.paymentMethod.findFirst({
      where: { id: input.paymentMethodId, accountId: input.accountId, removedAt: null },
    });
    if (!card) throw notFound("Card", { paymentMethodId: input.paymentMethodId });
    await tx.paymentMethod.update({
      where: { id: card.id },
      data: { removedAt: new Date(), isDefault: false },
    });
    if (card.isDefault) {
      const next = await tx.paymentMethod.findFirst({
        where: { accountId: input.accountId, removedAt: null },
        orderBy: { createdAt: "desc" },
      });
      if (next) await tx.paymentMethod.update({ where: { id: next.id }, data: { isDefault: true } });
    }
  });
}
