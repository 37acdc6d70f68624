import type { Db } from "@/lib/db/prisma";
import { audit } from "@/lib/audit/log";
import { addCard, listCards, removeCard, setDefaultCard } from "@/lib/ledger/payment-methods";
import type { CardInput, PaymentProcessor } from "@/lib/payments/processor";
import { cancelSubscription, subscribePro } from "./subscriptions";

/**
 * What a person changes on the billing page, each recorded in the audit log (who, when,
 * before, after). Authorization is the caller's job (resolveBillingAccount).
 */
type Actor = { accountId: string; actorUserId: string };

const cardLabel = (c: { brand: string; last4: string }) => ({ brand: c.brand, last4: c.last4 });

export async function addCardAudited(
  db: Db,
  processor: PaymentProcessor,
  input: Actor & { card: CardInput },
) {
  const card = await addCard(db, processor, { accountId: input.accountId, card: input.card });
  await audit(db, {
    ...input,
    action: "billing.card.add",
    target: card.id,
    before: null,
    after: cardLabel(card),
  });
  return card;
}

export async function setDefaultCardAudited(db: Db, input: Actor & { paymentMethodId: string }) {
  const before = (await listCards(db, input.accountId)).find((c) => c.isDefault) ?? null;
  await setDefaultCard(db, input);
  const after = (await listCards(db, input.accountId)).find((c) => c.isDefault) ?? null;
  await audit(db, {
    ...input,
    action: "billing.card.default",
    target: input.paymentMethodId,
    before: before && cardLabel(before),
    after: after && cardLabel(after),
  });
}

export async function removeCardAudited(db: Db, input: Actor & { paymentMethodId: string }) {
  const card = (await listCards(db, input.accountId)).find((c) => c.id === input.paymentMethodId);
  await removeCard(db, input);
  await audit(db, {
    ...input,
    action: "billing.card.remove",
    target: input.paymentMethodId,
    before: card ? cardLabel(card) : null,
    after: null,
  });
}

export async function subscribeProAudited(db: Db, processor: PaymentProcessor, input: Actor & { now: Date }) {
  const sub = await subscribePro(db, processor, { accountId: input.accountId, now: input.now });
  await audit(db, {
    accountId: input.accountId,
    actorUserId: input.actorUserId,
    action: "billing.subscription.subscribe",
    target: sub.id,
    before: null,
    after: { plan: "pro", currentPeriodEnd: sub.currentPeriodEnd.toISOString() },
  });
  return sub;
}

export async function cancelSubscriptionAudited(db: Db, input: Actor & { now: Date }) {
  const { subscription: sub, changed } = await cancelSubscription(db, {
    accountId: input.accountId,
    now: input.now,
  });
  if (changed)
    await audit(db, {
      accountId: input.accountId,
      actorUserId: input.actorUserId,
      action: "billing.subscription.cancel",
      target: sub.id,
      before: { cancelAtPeriodEnd: false },
      after: { cancelAtPeriodEnd: true, endsAt: sub.currentPeriodEnd.toISOString() },
    });
  return sub;
}
