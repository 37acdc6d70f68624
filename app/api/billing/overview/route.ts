import { getBillingOverview } from "@/lib/api/contracts/billing";
import { resolveBillingAccount } from "@/lib/accounts/billing-access";
import { appBillingNow } from "@/lib/ledger/app-context";
import { billingOverview } from "@/lib/ledger/overview";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/api/route";

/** Plan, subscription, seats, storage, credits and this month's threshold charges of the caller's account or an org's (admins). */
export const GET = route(getBillingOverview, async ({ principal, query }) => {
  const db = getDb();
  const account = await resolveBillingAccount(db, { userId: principal.userId, org: query.org ?? null });
  return billingOverview(db, account.accountId, await appBillingNow(db));
});
