import type { ForecastWire } from "./month-forecast";
import { toDollars, type ChartDay, type DailyChart } from "./prepare-chart";
import { addDays, type UsageRange } from "./range";

export type ForecastLine = Pick<
  ForecastWire,
  "today" | "monthEnd" | "spentBeforeTodayNano" | "todayProjectedNano" | "ratePerDayNano"
>;

/**
 * Adds the forecast to a daily chart as a projected line: today's expected total, then the
 * current rate for each remaining day of the month (days past the range are appended with
 * empty bars). Only when the range includes today: a past range has nothing to project.
 */
export function withProjection(
  chart: DailyChart,
  range: UsageRange,
  forecast: ForecastLine | null,
): DailyChart {
  if (!forecast || forecast.today < range.from || forecast.today >= range.to) return chart;
  const rate = BigInt(forecast.ratePerDayNano);
  const todayProjected = BigInt(forecast.todayProjectedNano);
  const days: ChartDay[] = [...chart.days];
  for (let d = range.to; d < forecast.monthEnd; d = addDays(d, 1))
    days.push({
      day: d,
      values: Object.fromEntries(chart.series.map((s) => [s.key, 0])),
      exactNano: Object.fromEntries(chart.series.map((s) => [s.key, "0"])),
      totalNano: "0",
    });
  let toDate = BigInt(forecast.spentBeforeTodayNano);
  const withLine = days.map((day) => {
    if (day.day < forecast.today || day.day >= forecast.monthEnd) return day;
    const nano = day.day === forecast.today ? todayProjected : rate;
    toDate += nano;
    return {
      ...day,
      projected: { value: toDollars(nano), nano: nano.toString(), monthToDateNano: toDate.toString() },
    };
  });
  return {
    ...chart,
    days: withLine,
    projection: {
      fromDay: forecast.today,
      throughDay: addDays(forecast.monthEnd, -1),
      ratePerDayNano: rate.toString(),
      monthEndNano: toDate.toString(),
    },
  };
}
