import type { Db } from "@/lib/db/prisma";
import { asJson } from "@/lib/http/json";
import { usageBreakdown } from "./breakdown";
import { forecastMonth, type RunOut } from "./forecast";
import { monthGlance, type MonthGlance } from "./month-glance";
import { addDays, isoDay } from "./range";

/** The forecast as JSON (GET /api/billing/forecast, and the pages): amounts are nano-dollar strings. */
export interface ForecastWire {
  period: string;
  today: string;
  monthEnd: string;
  daysInMonth: number;
  completeDays: number;
  /** How "the current rate" is estimated (lib/usage/forecast.ts). */
  estimator: "mean_of_complete_days";
  spentBeforeTodayNano: string;
  todaySoFarNano: string;
  spentSoFarNano: string;
  ratePerDayNano: string;
  todayProjectedNano: string;
  projectedSpendNano: string;
  band: { lowNano: string; highNano: string } | null;
  projectedPaygNano: string;
  thresholdCents: number;
  thresholdChargesAhead: number;
  credits: RunOut;
  limit: RunOut | null;
  spendingLimitCents: number | null;
  payAsYouGo: boolean;
}

/**
 * This month's forecast of an account, from the same ledger as the breakdown (the daily rollups,
 * read by usageBreakdown, for the routed spend per day) and the month counters (monthGlance: the
 * row enforcement reserves against), so its numbers add up with both.
 */
export async function monthForecast(
  db: Db,
  input: { accountId: string; now: Date; glance?: MonthGlance },
): Promise<ForecastWire> {
  const today = isoDay(input.now);
  const [glance, days] = await Promise.all([
    input.glance ?? monthGlance(db, input),
    usageBreakdown(db, {
      accountId: input.accountId,
      from: new Date(`${today.slice(0, 7)}-01`),
      to: new Date(addDays(today, 1)),
      groupBy: "day",
    }),
  ]);
  // Spend is what the platform bills: credits + pay-as-you-go of routed requests.
  const daily = new Map(days.rows.map((r) => [r.key, r.routed.billedNano]));
  const f = forecastMonth({
    now: input.now,
    dailySpendNano: daily,
    creditsIncludedNano: BigInt(glance.creditsIncludedNano),
    creditsUsedNano: BigInt(glance.creditsUsedNano),
    paygNano: BigInt(glance.paygNano),
    thresholdChargedNano: BigInt(glance.thresholdChargedNano),
    thresholdCents: glance.thresholdCents,
    payAsYouGo: glance.payAsYouGo,
    spendingLimitCents: glance.spendingLimitCents,
  });
  return asJson<ForecastWire>({
    ...f,
    estimator: "mean_of_complete_days",
    thresholdCents: glance.thresholdCents,
    spendingLimitCents: glance.spendingLimitCents,
    payAsYouGo: glance.payAsYouGo,
  });
}
