"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { queryKeys } from "@/lib/api/query-keys";
import type { SavingsTotalWire } from "@/lib/usage/savings";
import { fetchSavings } from "./api";
import { formatCount, formatUsdFixed } from "./format";

const cell = "py-2 pr-3 text-right tabular-nums whitespace-nowrap";

function monthLabel(month: string, locale: string) {
  return new Intl.DateTimeFormat(locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(`${month}-01T00:00:00Z`),
  );
}

function Amounts({ total, locale }: { total: SavingsTotalWire; locale: string }) {
  return (
    <>
      <td className={cell} data-column="requests">
        {formatCount(total.requests, locale)}
      </td>
      <td className={cell} data-column="listPriceNano">
        {formatUsdFixed(total.listPriceNano, locale)}
      </td>
      <td className={cell} data-column="billedNano">
        {formatUsdFixed(total.billedNano, locale)}
      </td>
    </>
  );
}

/** Custom-key requests per month and provider: what they would have cost routed, beside what we billed. */
export function SavingsTable({ billTo, locale }: { billTo: string | null; locale: string }) {
  const { data } = useSuspenseQuery({
    queryKey: queryKeys.savings(billTo),
    queryFn: () => fetchSavings(billTo),
  });
  if (data.total.requests === 0)
    return (
      <p className="text-sm text-gray-600 dark:text-gray-400" data-testid="savings-empty">
        No requests with custom keys from {monthLabel(data.from, locale)} to {monthLabel(data.to, locale)}.
      </p>
    );
  const notRoutable = data.months.some((m) => m.lines.some((l) => !l.billingIntegrated));
  return (
    <div data-testid="savings">
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <caption className="sr-only">
            Requests made with custom keys, by month and provider: their list price and what was billed
          </caption>
          <thead className="text-gray-600 dark:text-gray-400">
            <tr>
              <th scope="col" className="py-2 pr-3 text-left font-medium">
                Month
              </th>
              <th scope="col" className="py-2 pr-3 text-left font-medium">
                Provider
              </th>
              <th scope="col" className="py-2 pr-3 text-right font-medium">
                Requests
              </th>
              <th scope="col" className="py-2 pr-3 text-right font-medium">
                Would have cost if routed
              </th>
              <th scope="col" className="py-2 pr-3 text-right font-medium">
                Billed by us
              </th>
            </tr>
          </thead>
          {data.months.map((m) => (
            <tbody key={m.month} data-testid="savings-month" data-month={m.month}>
              {m.lines.length === 0 ? (
                <tr className="border-t border-gray-200 dark:border-gray-800">
                  <th scope="row" className="py-2 pr-3 text-left font-normal">
                    {monthLabel(m.month, locale)}
                  </th>
                  <td colSpan={4} className="py-2 pr-3 text-gray-600 dark:text-gray-400">
                    No custom-key requests
                  </td>
                </tr>
              ) : (
                <>
                  {m.lines.map((l) => (
                    <tr
                      key={l.providerId}
                      className="border-t border-gray-200 dark:border-gray-800"
                      data-testid="savings-row"
                      data-provider={l.providerId}
                    >
                      <td className="py-2 pr-3">{monthLabel(m.month, locale)}</td>
                      <th scope="row" className="py-2 pr-3 text-left font-normal">
                        {l.provider}
                        {l.billingIntegrated ? "" : " †"}
                      </th>
                      <Amounts total={l} locale={locale} />
                    </tr>
                  ))}
                  <tr
                    className="border-t border-gray-200 font-medium dark:border-gray-800"
                    data-testid="savings-month-total"
                  >
                    <td className="py-2 pr-3">{monthLabel(m.month, locale)}</td>
                    <th scope="row" className="py-2 pr-3 text-left">
                      Month total
                    </th>
                    <Amounts total={m.total} locale={locale} />
                  </tr>
                </>
              )}
            </tbody>
          ))}
          <tfoot>
            <tr
              className="border-t-2 border-gray-300 font-semibold dark:border-gray-700"
              data-testid="savings-total"
            >
              <th scope="row" colSpan={2} className="py-2 pr-3 text-left">
                Total, {monthLabel(data.from, locale)} to {monthLabel(data.to, locale)}
              </th>
              <Amounts total={data.total} locale={locale} />
            </tr>
          </tfoot>
        </table>
      </div>
      <p className="mt-2 text-xs text-gray-600 dark:text-gray-400">
        &quot;Would have cost&quot; is the provider&apos;s list price in our catalog when each request ran,
        before any monthly credits. The provider billed these requests to you directly under its own terms.
        {notRoutable
          ? " † The platform cannot bill this provider, so it is only usable with your own key."
          : ""}
      </p>
    </div>
  );
}
