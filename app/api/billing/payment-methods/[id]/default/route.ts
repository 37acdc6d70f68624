import { setDefaultCard } from "@/lib/api/contracts/payment-methods";
import { resolveBillingAccount } from "@/lib/accounts/billing-access";
import { setDefaultCardAudited } from "@/lib/ledger/account-actions";
import { cardDto } from "@/lib/payments/card-dto";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/api/route";
import { listCards } from "@/lib/ledger/payment-methods";

/** Makes a card the default: the one charged for subscriptions, threshold charges and invoices. */
export const PUT = route(setDefaultCard, async ({ principal, params, query }) => {
  const db = getDb();
  const account = await resolveBillingAccount(db, { userId: principal.userId, org: query.org ?? null });
  await setDefaultCardAudited(db, {
    accountId: account.accountId,
    actorUserId: principal.userId,
    paymentMethodId: params.id,
  });
  return { cards: (await listCards(db, account.accountId)).map(cardDto) };
});
