"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { LocalDate } from "@/components/ui/local-date";
import { Section } from "@/components/ui/section";
import { queryKeys } from "@/lib/api/query-keys";
import { formatCents, formatNano } from "@/lib/money/format";
import { billingApi } from "./api";

const STATUS = {
  succeeded: "Paid",
  failed: "Failed: due with the month-end invoice",
  pending: "Processing",
  canceled: "Canceled",
  not_charged_yet: "Being charged",
} as const;

/** The billing threshold, what accrued toward it, and the threshold charges of this month. */
export function ThresholdSection({ org }: { org: string | null }) {
  const api = billingApi(org);
  const { data } = useSuspenseQuery({ queryKey: queryKeys.billingOverview(org), queryFn: api.overview });
  const { threshold } = data;
  return (
    <Section
      title="Billing threshold"
      description={`Each time this month's pay-as-you-go usage not yet charged reaches ${formatCents(threshold.thresholdCents)}, your card is charged that amount at once; the rest is on the month-end invoice.`}
    >
      <dl className="grid grid-cols-1 gap-3 text-sm sm:grid-cols-2">
        <div>
          <dt className="text-gray-500 dark:text-gray-400">Threshold</dt>
          <dd className="text-lg font-semibold" data-testid="threshold-value">
            {formatCents(threshold.thresholdCents)}
          </dd>
        </div>
        <div>
          <dt className="text-gray-500 dark:text-gray-400">Accrued toward it this month</dt>
          <dd className="text-lg font-semibold" data-testid="threshold-accrued">
            {formatNano(BigInt(threshold.accruedNano))}
          </dd>
        </div>
      </dl>
      <h3 className="mt-4 text-sm font-semibold">Threshold charges this month</h3>
      {threshold.charges.length === 0 ? (
        <p className="mt-1 text-sm text-gray-600 dark:text-gray-400">None this month.</p>
      ) : (
        <table className="mt-2 w-full text-left text-sm">
          <thead className="text-gray-500 dark:text-gray-400">
            <tr>
              <th className="py-1 pr-4 font-medium">Charge</th>
              <th className="py-1 pr-4 font-medium">Date</th>
              <th className="py-1 pr-4 text-right font-medium">Amount</th>
              <th className="py-1 font-medium">Status</th>
            </tr>
          </thead>
          <tbody>
            {threshold.charges.map((c) => (
              <tr
                key={c.seq}
                className="border-t border-gray-200 dark:border-gray-800"
                data-testid="threshold-charge"
              >
                <td className="py-1 pr-4">#{c.seq}</td>
                <td className="py-1 pr-4">
                  <LocalDate iso={c.createdAt} />
                </td>
                <td className="py-1 pr-4 text-right tabular-nums">{formatCents(c.amountCents)}</td>
                <td className="py-1" title={c.failureMessage ?? undefined}>
                  {STATUS[c.status]}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
