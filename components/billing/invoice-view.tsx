"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { LocalDate } from "@/components/ui/local-date";
import { Section } from "@/components/ui/section";
import { queryKeys } from "@/lib/api/query-keys";
import { belowSubtotal } from "@/lib/invoices/line-kinds";
import { formatCents } from "@/lib/money/format";
import { billingApi } from "./api";
import { InvoiceStatus } from "./invoice-status";
import { PayInvoiceForm } from "./pay-invoice-form";

/** One invoice: who and what it bills, its lines (usage lines link to their breakdown), totals, payments, PDFs. */
export function InvoiceView({ org, number }: { org: string | null; number: string }) {
  const api = billingApi(org);
  const { data } = useSuspenseQuery({
    queryKey: queryKeys.invoice(org, number),
    queryFn: () => api.invoice(number),
  });
  const i = data.invoice;
  const payable = i.status === "open" || i.status === "failed";
  // Credits, the rounding adjustment and threshold payments adjust the subtotal: they go below it.
  const charges = i.lines.filter((l) => !belowSubtotal(l.kind));
  const adjustments = i.lines.filter((l) => belowSubtotal(l.kind));
  return (
    <div className="flex flex-col gap-6">
      <Section title="Details">
        <dl className="grid grid-cols-1 gap-3 text-sm sm:grid-cols-4">
          <div>
            <dt className="text-gray-500 dark:text-gray-400">Status</dt>
            <dd>
              <InvoiceStatus status={i.status} />
            </dd>
          </div>
          <div>
            <dt className="text-gray-500 dark:text-gray-400">Period</dt>
            <dd data-testid="invoice-period">
              {i.periodStart} to {i.periodLast}
            </dd>
          </div>
          <div>
            <dt className="text-gray-500 dark:text-gray-400">Issued</dt>
            <dd>
              <LocalDate iso={i.issuedAt} />
            </dd>
          </div>
          <div>
            <dt className="text-gray-500 dark:text-gray-400">Billed to</dt>
            <dd>
              {i.buyer.name} <span className="text-gray-500 dark:text-gray-400">({i.buyer.detail})</span>
            </dd>
          </div>
        </dl>
        <table className="mt-4 w-full text-left text-sm">
          <thead className="text-gray-500 dark:text-gray-400">
            <tr>
              <th className="py-2 pr-4 font-medium">Description</th>
              <th className="py-2 pr-4 text-right font-medium">Quantity</th>
              <th className="py-2 text-right font-medium">Amount</th>
            </tr>
          </thead>
          <tbody>
            {charges.map((l) => (
              <tr
                key={l.position}
                className="border-t border-gray-200 dark:border-gray-800"
                data-testid="invoice-line"
              >
                <td className="py-2 pr-4">
                  {l.usageHref ? (
                    <Link className="underline" href={l.usageHref}>
                      {l.description}
                    </Link>
                  ) : (
                    l.description
                  )}
                </td>
                <td className="py-2 pr-4 text-right tabular-nums">
                  {l.kind === "usage" ? `${l.quantity} requests` : l.quantity}
                </td>
                <td className="py-2 text-right tabular-nums">{formatCents(l.amountCents)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <Total label="Subtotal" cents={i.subtotalCents} testId="invoice-subtotal" />
            {adjustments.map((l) => (
              <Total
                key={l.position}
                label={l.description}
                cents={l.amountCents}
                testId={l.kind === "rounding" ? "invoice-rounding" : undefined}
              />
            ))}
            <Total label="Amount due" cents={i.amountDueCents} testId="invoice-amount-due" strong />
          </tfoot>
        </table>
        <p className="mt-4 flex gap-4 text-sm">
          <a className="underline" href={api.invoicePdfHref(i.number)} download>
            Download invoice (PDF)
          </a>
          {i.status === "paid" ? (
            <a className="underline" href={api.receiptPdfHref(i.number)} download>
              Download receipt (PDF)
            </a>
          ) : null}
        </p>
      </Section>

      <Section title="Payments">
        {i.payments.length === 0 ? (
          <p className="text-sm text-gray-600 dark:text-gray-400">No payments.</p>
        ) : (
          <ul className="text-sm">
            {i.payments.map((p, n) => (
              <li
                key={n}
                className="flex flex-wrap gap-3 border-t border-gray-200 py-2 first:border-0 dark:border-gray-800"
                data-testid="invoice-payment"
              >
                <LocalDate iso={p.at} />
                <span>{p.kind === "threshold_charge" ? "Threshold payment" : "Card payment"}</span>
                <span>{p.card ? `${p.card.brand} ending in ${p.card.last4}` : "no card"}</span>
                <span className="tabular-nums">{formatCents(p.amountCents)}</span>
                <span className={p.status === "failed" ? "text-red-700 dark:text-red-300" : ""}>
                  {p.status === "succeeded" ? "paid" : p.status}
                  {p.failureMessage ? `: ${p.failureMessage}` : ""}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Section>

      {payable ? (
        <Section
          title="Pay online"
          description={
            i.status === "failed"
              ? "The charge to your card failed. Pay with another card."
              : "This invoice is open."
          }
        >
          <PayInvoiceForm org={org} number={i.number} amountDueCents={i.amountDueCents} />
        </Section>
      ) : null}
    </div>
  );
}

function Total({
  label,
  cents,
  testId,
  strong,
}: {
  label: string;
  cents: number;
  testId?: string;
  strong?: boolean;
}) {
  return (
    <tr className={`border-t border-gray-200 dark:border-gray-800 ${strong ? "font-semibold" : ""}`}>
      <td className="py-2 pr-4" colSpan={2}>
        {label}
      </td>
      <td className="py-2 text-right tabular-nums" data-testid={testId}>
        {formatCents(cents)}
      </td>
    </tr>
  );
}
