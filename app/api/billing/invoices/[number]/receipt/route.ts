import { getInvoiceReceipt } from "@/lib/api/contracts/invoices";
import { resolveBillingAccount } from "@/lib/accounts/billing-access";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/kernel/errors";
import { route } from "@/lib/api/route";
import { invoiceDetail } from "@/lib/invoices/history";
import { renderReceiptPdf } from "@/lib/invoices/pdf";
import { pdfResponse } from "@/lib/invoices/pdf-response";

/** The receipt of a paid invoice as a PDF document; an unpaid invoice has none yet (409). */
export const GET = route(getInvoiceReceipt, async ({ principal, params, query }) => {
  const db = getDb();
  const account = await resolveBillingAccount(db, { userId: principal.userId, org: query.org ?? null });
  const invoice = await invoiceDetail(db, { accountId: account.accountId, number: params.number });
  if (invoice.status !== "paid") {
    throw new AppError(
      409,
      "invoice_unpaid",
      `Invoice ${invoice.number} is not paid yet: pay it to get a receipt.`,
    );
  }
  return pdfResponse(await renderReceiptPdf(invoice), `${invoice.number}-receipt.pdf`);
});
