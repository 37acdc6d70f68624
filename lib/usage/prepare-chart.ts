import type { BreakdownRowWire } from "./wire";
import { daysOf, type UsageRange } from "./range";

export const OTHER_SERIES = "__other__";

export interface ChartSeries {
  key: string;
  label: string;
}

export interface ChartDay {
  day: string;
  /** Bar heights in dollars: chart geometry only, never shown as an amount. */
  values: Record<string, number>;
  /** The exact amounts (nano-dollars, decimal strings) that labels and tooltips show. */
  exactNano: Record<string, string>;
  totalNano: string;
  /** Today and the rest of the month when the range includes today (lib/usage/prepare-forecast.ts). */
  projected?: ProjectedPoint;
}

export interface ProjectedPoint {
  /** Line height in dollars: geometry only. */
  value: number;
  /** The day's projected routed spend. */
  nano: string;
  /** The month's routed spend through this day, projected. */
  monthToDateNano: string;
}

export interface DailyChart {
  series: ChartSeries[];
  days: ChartDay[];
  totalNano: string;
  empty: boolean;
  /** Set when a projected line is drawn: from today to the month's last day, at the current rate. */
  projection?: { fromDay: string; throughDay: string; ratePerDayNano: string; monthEndNano: string };
}

const NANO_PER_DOLLAR = 1e9;
export const toDollars = (nano: bigint) => Number(nano) / NANO_PER_DOLLAR;

/**
 * Turns the API's day rows (groupBy=day, each with its cost by model) into a stacked chart:
 * one point per UTC day of the range (days without usage are zeros, not gaps), one series per
 * model for the `maxSeries` most expensive models of the range, the rest summed as "Other".
 */
export function prepareDailyChart(rows: BreakdownRowWire[], range: UsageRange, maxSeries = 5): DailyChart {
  const totals = new Map<string, { label: string; nano: bigint }>();
  for (const row of rows)
    for (const m of row.models ?? []) {
      const t = totals.get(m.key) ?? { label: m.label ?? m.key, nano: 0n };
      t.nano += BigInt(m.costNano);
      totals.set(m.key, t);
    }
  const ranked = [...totals.entries()].sort(([ka, a], [kb, b]) =>
    a.nano === b.nano ? ka.localeCompare(kb) : a.nano > b.nano ? -1 : 1,
  );
  // "Other" only when it stands for at least two models; otherwise show the model itself.
  const shown = ranked.length > maxSeries ? ranked.slice(0, maxSeries - 1) : ranked;
  const shownKeys = new Set(shown.map(([k]) => k));
  const series: ChartSeries[] = shown.map(([key, t]) => ({ key, label: t.label }));
  if (ranked.length > shown.length)
    series.push({ key: OTHER_SERIES, label: `Other (${ranked.length - shown.length} models)` });

  const byDay = new Map(rows.map((r) => [r.key, r]));
  let grand = 0n;
  const days = daysOf(range).map((day) => {
    const nano: Record<string, bigint> = Object.fromEntries(series.map((s) => [s.key, 0n]));
    for (const m of byDay.get(day)?.models ?? []) {
      const key = shownKeys.has(m.key) ? m.key : OTHER_SERIES;
      nano[key] = (nano[key] ?? 0n) + BigInt(m.costNano);
    }
    const total = Object.values(nano).reduce((a, b) => a + b, 0n);
    grand += total;
    return {
      day,
      values: Object.fromEntries(Object.entries(nano).map(([k, v]) => [k, toDollars(v)])),
      exactNano: Object.fromEntries(Object.entries(nano).map(([k, v]) => [k, v.toString()])),
      totalNano: total.toString(),
    };
  });
  return { series, days, totalNano: grand.toString(), empty: series.length === 0 };
}
