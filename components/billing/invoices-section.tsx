"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { EmptyState, Section } from "@/components/ui/section";
import { queryKeys } from "@/lib/api/query-keys";
import { formatCents } from "@/lib/money/format";
import { billingApi, invoicePageHref } from "./api";
import { InvoiceStatus } from "./invoice-status";

/** The invoices and receipts of the last 3 months; each opens its detail view. */
export function InvoicesSection({ org }: { org: string | null }) {
  const api = billingApi(org);
  const { data } = useSuspenseQuery({ queryKey: queryKeys.invoices(org), queryFn: api.invoices });
  return (
    <Section title="Invoices" description="The last 3 months of invoices and receipts.">
      {data.invoices.length === 0 ? (
        <EmptyState title="No invoices in the last 3 months">
          Usage is invoiced on the 1st of each month for the month before; subscriptions when they renew.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-gray-500 dark:text-gray-400">
              <tr>
                <th className="py-2 pr-4 font-medium">Invoice</th>
                <th className="py-2 pr-4 font-medium">Period</th>
                <th className="py-2 pr-4 font-medium">For</th>
                <th className="py-2 pr-4 text-right font-medium">Total</th>
                <th className="py-2 pr-4 text-right font-medium">Amount due</th>
                <th className="py-2 pr-4 font-medium">Status</th>
                <th className="py-2 font-medium">Documents</th>
              </tr>
            </thead>
            <tbody>
              {data.invoices.map((i) => (
                <tr
                  key={i.number}
                  className="border-t border-gray-200 dark:border-gray-800"
                  data-testid="invoice-row"
                >
                  <td className="py-2 pr-4 whitespace-nowrap">
                    <Link className="font-mono underline" href={invoicePageHref(org, i.number)}>
                      {i.number}
                    </Link>
                  </td>
                  <td className="py-2 pr-4 whitespace-nowrap" data-testid="invoice-period">
                    {i.periodStart} to {i.periodLast}
                  </td>
                  <td className="py-2 pr-4">{i.kind === "usage" ? "Usage" : "Subscription"}</td>
                  <td className="py-2 pr-4 text-right tabular-nums" data-testid="invoice-total">
                    {formatCents(i.subtotalCents)}
                  </td>
                  <td className="py-2 pr-4 text-right tabular-nums" data-testid="invoice-amount-due">
                    {formatCents(i.amountDueCents)}
                  </td>
                  <td className="py-2 pr-4">
                    <InvoiceStatus status={i.status} />
                  </td>
                  <td className="py-2 whitespace-nowrap">
                    <a className="underline" href={api.invoicePdfHref(i.number)} download>
                      Invoice PDF
                    </a>
                    {i.status === "paid" ? (
                      <>
                        {" · "}
                        <a className="underline" href={api.receiptPdfHref(i.number)} download>
                          Receipt PDF
                        </a>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
