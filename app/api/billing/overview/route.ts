import { getBillingOverview } from "@/lib/api/contracts/billing";
import { resolveBillingAccount } from "@/lib/billing/account-access";
import { appBillingNow } from "@/lib/billing/app-context";
import { billingOverview } from "@/lib/billing/overview";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/http/route";

/** Plan, subscription, seats, storage, credits and this month's threshold charges of the caller's account or an org's (admins). */
export const GET = route(getBillingOverview, async ({ principal, query }) => {
  const db = getDb();
  const account = await resolveBillingAccount(db, { userId: principal.userId, org: query.org ?? null });
  return billingOverview(db, account.accountId, await appBillingNow(db));
});
