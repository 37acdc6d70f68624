import { LocalDate } from "@/components/ui/local-date";
import { formatCents } from "@/lib/money/format";
import type { MonthGlance } from "@/lib/usage/month-glance";
import { formatUsd } from "./format";
import { Fact } from "./fact";

/** Credits used of included (a meter), pay-as-you-go, the limit and the room left, the next charge, the reset. */
export function MonthGlanceView({
  glance,
  locale,
  isOrg,
}: {
  glance: MonthGlance;
  locale: string;
  isOrg: boolean;
}) {
  const included = BigInt(glance.creditsIncludedNano);
  const used = BigInt(glance.creditsUsedNano);
  const percent = included > 0n ? Number((used * 100n) / included) : 0;
  const usedText = `${formatUsd(used, locale)} of ${formatUsd(included, locale)}`;
  return (
    <div className="flex flex-col gap-4">
      <div>
        <div className="flex items-baseline justify-between text-sm">
          <span id="credits-meter-label" className="font-medium">
            Monthly credits used
          </span>
          <span data-testid="credits-used">{usedText}</span>
        </div>
        <div
          role="meter"
          aria-labelledby="credits-meter-label"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-valuetext={usedText}
          className="mt-1 h-2.5 overflow-hidden rounded-full bg-gray-200 dark:bg-gray-800"
        >
          <div
            className={`h-full rounded-full ${percent >= 100 ? "bg-amber-500" : "bg-blue-600"}`}
            style={{ width: `${Math.min(100, percent)}%` }}
          />
        </div>
      </div>
      <dl className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Fact label="Pay-as-you-go so far" testId="payg-so-far">
          {glance.payAsYouGo ? formatUsd(glance.paygNano, locale) : "Not on the Free plan"}
        </Fact>
        {isOrg ? (
          <Fact label="Spending limit" testId="glance-limit">
            {glance.spendingLimitCents === null ? (
              "No limit"
            ) : (
              <>
                {formatCents(glance.spendingLimitCents, locale)}{" "}
                <span className="font-normal">({formatUsd(glance.roomLeftNano!, locale)} left)</span>
              </>
            )}
          </Fact>
        ) : null}
        <Fact label="Next threshold charge">
          {glance.nextChargeAtNano === null ? (
            "None: no pay-as-you-go"
          ) : (
            <>
              {formatCents(glance.thresholdCents, locale)}{" "}
              <span className="font-normal">
                when pay-as-you-go reaches {formatUsd(glance.nextChargeAtNano, locale)}
              </span>
            </>
          )}
        </Fact>
        <Fact label="Resets on">
          <span>{glance.resetsAt.slice(0, 10)}, 00:00 UTC</span>{" "}
          <span className="block text-xs font-normal text-gray-600 dark:text-gray-400">
            your time: <LocalDate iso={glance.resetsAt} />
          </span>
        </Fact>
      </dl>
      <p className="text-xs text-gray-600 dark:text-gray-400">
        Billing months are UTC calendar months: credits renew and limits reset at 00:00 UTC on the 1st,
        whatever your time zone.
      </p>
    </div>
  );
}
