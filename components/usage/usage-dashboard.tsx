"use client";

import { keepPreviousData, useQueries } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useMemo } from "react";
import { queryKeys } from "@/lib/api/query-keys";
import { billedCents } from "@/lib/ledger/credits";
import { formatCents } from "@/lib/money/format";
import { prepareDailyChart } from "@/lib/usage/prepare-chart";
import { withProjection, type ForecastLine } from "@/lib/usage/prepare-forecast";
import { rangeFromParams, type UsageRange } from "@/lib/usage/range";
import type { GroupBy } from "@/lib/usage/wire";
import { fetchUsage } from "./api";
import { BreakdownTable } from "./breakdown-table";
import { DailyCostChart } from "./daily-cost-chart";
import { formatCount, formatRange, formatUsd } from "./format";
import { RangePicker, type RangePreset } from "./range-picker";
import { UsageEmpty, UsageError, UsageLoading } from "./usage-states";

const TABLES: { groupBy: Exclude<GroupBy, "day">; dimension: string }[] = [
  { groupBy: "model", dimension: "Model" },
  { groupBy: "provider", dimension: "Provider" },
  { groupBy: "member", dimension: "Member" },
  { groupBy: "token", dimension: "Access token" },
];

/**
 * The usage breakdown of an account for a range of UTC days: a stacked daily chart and tables
 * by model and provider (and member, for orgs; access token, for one's own usage). The range lives in the URL (?from=&to=, `to`
 * exclusive), so invoices can link to a month and the back button works.
 */
export function UsageDashboard({
  billTo,
  nowIso,
  presets,
  tables,
  locale,
  apiBase,
  forecast = null,
}: {
  billTo: string | null;
  /** The billing clock's "now", which the default range (the past month) is counted from. */
  nowIso: string;
  presets: RangePreset[];
  tables: Exclude<GroupBy, "day">[];
  locale: string;
  apiBase: string;
  /** This month's forecast: drawn as a projected line when the range includes today. */
  forecast?: ForecastLine | null;
}) {
  const searchParams = useSearchParams();
  const range = rangeFromParams(
    { from: searchParams.get("from"), to: searchParams.get("to") },
    new Date(nowIso),
  );
  const groupBys: GroupBy[] = ["day", ...tables];
  const results = useQueries({
    queries: groupBys.map((groupBy) => ({
      queryKey: queryKeys.usage(billTo, groupBy, range.from, range.to),
      queryFn: () => fetchUsage(billTo, groupBy, range.from, range.to),
      placeholderData: keepPreviousData,
    })),
  });
  const [daily, ...byTable] = results;
  const chart = useMemo(
    () =>
      daily!.data
        ? withProjection(
            prepareDailyChart(daily!.data.rows, { from: daily!.data.from, to: daily!.data.to }),
            { from: daily!.data.from, to: daily!.data.to },
            forecast,
          )
        : null,
    [daily, forecast],
  );

  function setRange(next: UsageRange) {
    const params = new URLSearchParams(searchParams.toString());
    params.set("from", next.from);
    params.set("to", next.to);
    // Next.js syncs useSearchParams with pushState: no server round trip, react-query fetches.
    window.history.pushState(null, "", `?${params}`);
  }

  const failed = results.find((r) => r.isError);
  const pending = results.some((r) => r.isPending);
  const updating = results.some((r) => r.isFetching || r.isPlaceholderData);
  const total = daily!.data?.total;
  // Credits and pay-as-you-go to the cent by the invoice's rule: a month's figures are its invoice's.
  const billed = total
    ? billedCents({ creditsNano: BigInt(total.routed.creditsNano), paygNano: BigInt(total.routed.paygNano) })
    : null;
  const rangeLabel = formatRange(range.from, range.to, locale);

  return (
    <div className="flex flex-col gap-5">
      <RangePicker range={range} presets={presets} onChange={setRange} />
      <p className="text-sm text-gray-600 dark:text-gray-400" aria-live="polite" data-testid="usage-range">
        {rangeLabel} (UTC days){updating && !pending ? " · updating…" : ""}
      </p>
      {failed ? (
        <UsageError
          message={failed.error?.message ?? "Try again."}
          onRetry={() => results.forEach((r) => r.isError && void r.refetch())}
        />
      ) : pending || !total || !chart ? (
        <UsageLoading />
      ) : total.routed.requests + total.customKey.requests === 0 ? (
        <UsageEmpty billTo={billTo} apiBase={apiBase} />
      ) : (
        <>
          <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4" data-testid="usage-summary">
            <div>
              <dt className="text-gray-600 dark:text-gray-400">Requests</dt>
              <dd className="text-lg font-semibold" data-testid="summary-requests">
                {formatCount(total.routed.requests + total.customKey.requests, locale)}
              </dd>
            </div>
            <div>
              <dt className="text-gray-600 dark:text-gray-400">Routed (billed by us)</dt>
              <dd className="text-lg font-semibold" data-testid="summary-routed">
                {formatUsd(total.routed.costNano, locale)}
              </dd>
            </div>
            <div>
              <dt className="text-gray-600 dark:text-gray-400">Custom key (billed by providers)</dt>
              <dd className="text-lg font-semibold" data-testid="summary-custom-key">
                {formatUsd(total.customKey.costNano, locale)}
              </dd>
            </div>
            <div>
              <dt className="text-gray-600 dark:text-gray-400">Of routed: credits / pay-as-you-go</dt>
              <dd className="text-lg font-semibold" data-testid="summary-credits-payg">
                {formatCents(billed!.creditsCents, locale)} / {formatCents(billed!.paygCents, locale)}
              </dd>
            </div>
          </dl>
          <DailyCostChart chart={chart} locale={locale} caption={`Cost per day by model, ${rangeLabel}`} />
          {TABLES.filter((t) => tables.includes(t.groupBy)).map((t) => {
            const data = byTable[tables.indexOf(t.groupBy)]!.data;
            return data ? (
              <BreakdownTable
                key={t.groupBy}
                dimension={t.dimension}
                rows={data.rows}
                locale={locale}
                csvName={`usage-by-${t.groupBy}${billTo ? `-${billTo}` : ""}-${range.from}-to-${range.to}.csv`}
              />
            ) : null;
          })}
          <p className="text-xs text-gray-600 dark:text-gray-400">
            * Custom-key requests are shown at the provider&apos;s list price: the provider bills them to you
            directly and we charge nothing. Routed cost is what we bill: monthly credits first, then
            pay-as-you-go.
          </p>
        </>
      )}
    </div>
  );
}
