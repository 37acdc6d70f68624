import { formatCents } from "@/lib/money/format";
import type { RunOut } from "@/lib/usage/forecast";
import type { ForecastWire } from "@/lib/usage/month-forecast";
import { formatCount, formatDay, formatUsd } from "./format";
import { Fact } from "./fact";

const note = "block text-xs font-normal text-gray-600 dark:text-gray-400";

function RunOutText({ runOut, reached, locale }: { runOut: RunOut; reached: string; locale: string }) {
  if (runOut.state === "reached") return <span data-state="reached">{reached}</span>;
  if (runOut.state === "not_this_month") return <span data-state="not_this_month">Not this month</span>;
  return (
    <span data-state="on" data-day={runOut.day}>
      {formatDay(runOut.day, locale)} (UTC)
    </span>
  );
}

/**
 * This month's forecast at the current rate (lib/usage/forecast.ts): the month-end spend and its
 * band, when credits and the spending limit would run out, and the threshold charges it implies.
 */
export function ForecastView({
  forecast,
  locale,
  isOrg,
}: {
  forecast: ForecastWire;
  locale: string;
  isOrg: boolean;
}) {
  const f = forecast;
  const rateNote =
    f.completeDays === 0
      ? "today's spend so far, the 1st's only evidence"
      : `mean of ${formatCount(f.completeDays, locale)} full day${f.completeDays === 1 ? "" : "s"} this month`;
  return (
    <div
      className="flex flex-col gap-3 border-t border-gray-200 pt-4 dark:border-gray-800"
      data-testid="forecast"
    >
      <h3 className="text-sm font-semibold">Forecast for the month, at the current rate</h3>
      <dl className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Fact label="Projected month-end spend" testId="forecast-projected">
          {formatUsd(f.projectedSpendNano, locale)}
          <span className={note} data-testid="forecast-band">
            {f.band
              ? `likely ${formatUsd(f.band.lowNano, locale)} to ${formatUsd(f.band.highNano, locale)}`
              : "a range once two full days have passed"}
          </span>
        </Fact>
        <Fact label="Current rate" testId="forecast-rate">
          {formatUsd(f.ratePerDayNano, locale)} a day
          <span className={note}>{rateNote}</span>
        </Fact>
        <Fact label="Credits run out" testId="forecast-credits">
          <RunOutText runOut={f.credits} reached="Used up this month" locale={locale} />
        </Fact>
        {isOrg ? (
          <Fact label="Spending limit reached" testId="forecast-limit">
            {f.limit === null ? (
              "No limit set"
            ) : (
              <RunOutText
                runOut={f.limit}
                reached="Reached: pay-as-you-go requests are refused"
                locale={locale}
              />
            )}
          </Fact>
        ) : null}
        <Fact label="Threshold charges ahead" testId="forecast-charges">
          {f.payAsYouGo ? (
            <>
              <span data-count={f.thresholdChargesAhead}>
                {f.thresholdChargesAhead === 0
                  ? "None"
                  : `${formatCount(f.thresholdChargesAhead, locale)} of ${formatCents(f.thresholdCents, locale)}`}
              </span>
              <span className={note}>
                projected pay-as-you-go {formatUsd(f.projectedPaygNano, locale)}
                {f.limit && f.limit.state !== "not_this_month" ? ", held at the limit" : ""}
              </span>
            </>
          ) : (
            "None: no pay-as-you-go"
          )}
        </Fact>
      </dl>
      <p className="text-xs text-gray-600 dark:text-gray-400">
        Routed spend (credits and pay-as-you-go) so far {formatUsd(f.spentSoFarNano, locale)}. The rate is the
        mean spend of this month&apos;s full UTC days (days without requests count as zero); today counts at
        least at that rate. The range is two standard deviations of that day-to-day variation over the days
        left. Custom-key requests are billed by their provider and not included.
      </p>
    </div>
  );
}
