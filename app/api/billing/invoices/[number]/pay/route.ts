import { payInvoice } from "@/lib/api/contracts/invoices";
import { resolveBillingAccount } from "@/lib/accounts/billing-access";
import { appProcessor } from "@/lib/ledger/app-context";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/api/route";
import { invoiceDetail } from "@/lib/invoices/history";
import { payInvoiceOnline } from "@/lib/ledger/pay-online";

/** Pays an open or failed invoice online with a new card or another card on file; a refusal is 402 with the reason. */
export const POST = route(payInvoice, async ({ principal, params, query, body }) => {
  const db = getDb();
  const account = await resolveBillingAccount(db, { userId: principal.userId, org: query.org ?? null });
  await payInvoiceOnline(db, appProcessor(), {
    accountId: account.accountId,
    number: params.number,
    payWith: body.card ? { card: body.card } : { paymentMethodId: body.paymentMethodId! },
  });
  return { invoice: await invoiceDetail(db, { accountId: account.accountId, number: params.number }) };
});
