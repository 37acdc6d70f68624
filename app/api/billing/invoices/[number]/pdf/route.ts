import { getInvoicePdf } from "@/lib/api/contracts/invoices";
import { resolveBillingAccount } from "@/lib/accounts/billing-access";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/api/route";
import { invoiceDetail } from "@/lib/invoices/history";
import { renderInvoicePdf } from "@/lib/invoices/pdf";
import { pdfResponse } from "@/lib/invoices/pdf-response";

/** The invoice as a PDF document. */
export const GET = route(getInvoicePdf, async ({ principal, params, query }) => {
  const db = getDb();
  const account = await resolveBillingAccount(db, { userId: principal.userId, org: query.org ?? null });
  const invoice = await invoiceDetail(db, { accountId: account.accountId, number: params.number });
  return pdfResponse(await renderInvoicePdf(invoice), `${invoice.number}.pdf`);
});
