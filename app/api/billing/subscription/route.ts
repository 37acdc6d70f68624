import { cancelSubscription, subscribePro } from "@/lib/api/contracts/billing";
import { resolveBillingAccount } from "@/lib/accounts/billing-access";
import { cancelSubscriptionAudited, subscribeProAudited } from "@/lib/ledger/account-actions";
import { appBillingNow, appProcessor } from "@/lib/ledger/app-context";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/api/route";

const subscriptionDto = (s: {
  plan: string;
  status: string;
  currentPeriodEnd: Date;
  cancelAtPeriodEnd: boolean;
}) => ({
  plan: s.plan,
  status: s.status,
  currentPeriodEnd: s.currentPeriodEnd.toISOString(),
  cancelAtPeriodEnd: s.cancelAtPeriodEnd,
});

/** Subscribes the caller to PRO: the first month is charged to the default card now (or resumes a cancelled PRO). */
export const POST = route(subscribePro, async ({ principal }) => {
  const db = getDb();
  const account = await resolveBillingAccount(db, { userId: principal.userId, org: null });
  const sub = await subscribeProAudited(db, appProcessor(), {
    accountId: account.accountId,
    actorUserId: principal.userId,
    now: await appBillingNow(db),
  });
  return { subscription: subscriptionDto(sub) };
});

/** Cancels the caller's PRO at the end of the period already paid for. */
export const DELETE = route(cancelSubscription, async ({ principal }) => {
  const db = getDb();
  const account = await resolveBillingAccount(db, { userId: principal.userId, org: null });
  const sub = await cancelSubscriptionAudited(db, {
    accountId: account.accountId,
    actorUserId: principal.userId,
    now: await appBillingNow(db),
  });
  return { subscription: subscriptionDto(sub) };
});
