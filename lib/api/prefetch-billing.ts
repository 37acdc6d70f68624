import "server-only";
import type { QueryClient } from "@tanstack/react-query";
import { notFound } from "next/navigation";
import { queryKeys } from "@/lib/api/query-keys";
import type { Db } from "@/lib/db/prisma";
import { AppError } from "@/lib/kernel/errors";
import { invoiceDetail, listInvoices } from "@/lib/invoices/history";
import { listCards } from "@/lib/ledger/payment-methods";
import { cardDto } from "@/lib/payments/card-dto";
import { billingOverview } from "@/lib/ledger/overview";

type Account = { accountId: string; org: string | null };

const cardsQuery = (db: Db, a: Account) => ({
  queryKey: queryKeys.paymentMethods(a.org),
  queryFn: async () => ({ cards: (await listCards(db, a.accountId)).map(cardDto) }),
});

/** What the billing page's sections read, fetched on the server with the same shapes as the JSON API. */
export async function prefetchBillingPage(qc: QueryClient, db: Db, a: Account & { now: Date }) {
  await Promise.all([
    qc.prefetchQuery({
      queryKey: queryKeys.billingOverview(a.org),
      queryFn: () => billingOverview(db, a.accountId, a.now),
    }),
    qc.prefetchQuery(cardsQuery(db, a)),
    qc.prefetchQuery({
      queryKey: queryKeys.invoices(a.org),
      queryFn: async () => ({ invoices: await listInvoices(db, { accountId: a.accountId, now: a.now }) }),
    }),
  ]);
}

/** The invoice page's data; an invoice of another account (or none) is the 404 page. */
export async function prefetchInvoicePage(qc: QueryClient, db: Db, a: Account & { number: string }) {
  try {
    const invoice = await invoiceDetail(db, { accountId: a.accountId, number: a.number });
    qc.setQueryData(queryKeys.invoice(a.org, a.number), { invoice });
  } catch (e) {
    if (e instanceof AppError && e.status === 404) notFound();
    throw e;
  }
  await qc.prefetchQuery(cardsQuery(db, a));
}
