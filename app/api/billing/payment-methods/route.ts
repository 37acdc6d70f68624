import { addCard, listCards as listContract } from "@/lib/api/contracts/payment-methods";
import { resolveBillingAccount } from "@/lib/accounts/billing-access";
import { addCardAudited } from "@/lib/ledger/account-actions";
import { appProcessor } from "@/lib/ledger/app-context";
import { cardDto } from "@/lib/payments/card-dto";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/api/route";
import { listCards } from "@/lib/ledger/payment-methods";

/** The account's saved cards, the default first. */
export const GET = route(listContract, async ({ principal, query }) => {
  const db = getDb();
  const account = await resolveBillingAccount(db, { userId: principal.userId, org: query.org ?? null });
  return { cards: (await listCards(db, account.accountId)).map(cardDto) };
});

/** Adds a card after a $10 authorization hold that is released at once; a refused card gets 402 and a sentence saying why. */
export const POST = route(addCard, async ({ principal, query, body }) => {
  const db = getDb();
  const account = await resolveBillingAccount(db, { userId: principal.userId, org: query.org ?? null });
  const card = await addCardAudited(db, appProcessor(), {
    accountId: account.accountId,
    actorUserId: principal.userId,
    card: body,
  });
  return { card: cardDto(card) }; // 201: the contract's status
});
