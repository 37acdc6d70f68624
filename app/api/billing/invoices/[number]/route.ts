import { getInvoice } from "@/lib/api/contracts/invoices";
import { resolveBillingAccount } from "@/lib/accounts/billing-access";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/api/route";
import { invoiceDetail } from "@/lib/invoices/history";

/** One invoice with its lines (usage lines link to their breakdown) and payments. */
export const GET = route(getInvoice, async ({ principal, params, query }) => {
  const db = getDb();
  const account = await resolveBillingAccount(db, { userId: principal.userId, org: query.org ?? null });
  return { invoice: await invoiceDetail(db, { accountId: account.accountId, number: params.number }) };
});
