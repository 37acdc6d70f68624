import { listInvoices as contract } from "@/lib/api/contracts/invoices";
import { resolveBillingAccount } from "@/lib/accounts/billing-access";
import { appBillingNow } from "@/lib/ledger/app-context";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/api/route";
import { listInvoices } from "@/lib/invoices/history";

/** The invoices of the last 3 months, newest first. */
export const GET = route(contract, async ({ principal, query }) => {
  const db = getDb();
  const account = await resolveBillingAccount(db, { userId: principal.userId, org: query.org ?? null });
  return { invoices: await listInvoices(db, { accountId: account.accountId, now: await appBillingNow(db) }) };
});
