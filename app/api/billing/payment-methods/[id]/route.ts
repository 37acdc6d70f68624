import { removeCard } from "@/lib/api/contracts/payment-methods";
import { resolveBillingAccount } from "@/lib/accounts/billing-access";
import { removeCardAudited } from "@/lib/ledger/account-actions";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/api/route";

/** Removes a card; if it was the default, the most recent remaining card becomes the default. */
export const DELETE = route(removeCard, async ({ principal, params, query }) => {
  const db = getDb();
  const account = await resolveBillingAccount(db, { userId: principal.userId, org: query.org ?? null });
  await removeCardAudited(db, {
    accountId: account.accountId,
    actorUserId: principal.userId,
    paymentMethodId: params.id,
  });
});
