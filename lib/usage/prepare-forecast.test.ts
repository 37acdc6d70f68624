import { describe, expect, it } from "vitest";
import { forecastMonth } from "./forecast";
import { prepareDailyChart } from "./prepare-chart";
import { withProjection, type ForecastLine } from "./prepare-forecast";
import type { BreakdownRowWire, MetricsWire } from "./wire";

const metrics = (costNano = "0"): MetricsWire => ({
  requests: 1,
  inputTokens: "0",
  outputTokens: "0",
  computeMs: "0",
  costNano,
  billedNano: costNano,
  creditsNano: "0",
  paygNano: costNano,
});
const dayRow = (day: string, nano: bigint): BreakdownRowWire => ({
  key: day,
  label: day,
  routed: metrics(nano.toString()),
  customKey: { ...metrics(), requests: 0 },
  models: [{ key: "m", label: "M", costNano: nano.toString() }],
});

const line: ForecastLine = {
  today: "2026-11-28",
  monthEnd: "2026-12-01",
  spentBeforeTodayNano: "100",
  todayProjectedNano: "12",
  ratePerDayNano: "10",
};

describe("withProjection", () => {
  const range = { from: "2026-11-26", to: "2026-11-29" }; // through today
  const chart = prepareDailyChart([dayRow("2026-11-26", 10n), dayRow("2026-11-28", 7n)], range);

  it("draws today's expected total then the rate through the month's last day, appending days past the range", () => {
    const c = withProjection(chart, range, line);
    expect(c.days.map((d) => d.day)).toEqual([
      "2026-11-26",
      "2026-11-27",
      "2026-11-28",
      "2026-11-29",
      "2026-11-30",
    ]);
    expect(c.days.map((d) => d.projected?.nano ?? null)).toEqual([null, null, "12", "10", "10"]);
    expect(c.days.map((d) => d.projected?.monthToDateNano ?? null)).toEqual([
      null,
      null,
      "112",
      "122",
      "132",
    ]);
    // Appended days have empty bars: the chart's total is still the range's.
    expect(c.days[4]).toMatchObject({ totalNano: "0", exactNano: { m: "0" }, values: { m: 0 } });
    expect(c.totalNano).toBe(chart.totalNano);
    expect(c.projection).toEqual({
      fromDay: "2026-11-28",
      throughDay: "2026-11-30",
      ratePerDayNano: "10",
      monthEndNano: "132",
    });
  });

  it("ends at the month's projected spend from forecastMonth", () => {
    const f = forecastMonth({
      now: new Date("2026-11-28T10:00:00Z"),
      dailySpendNano: new Map([
        ["2026-11-26", 10n],
        ["2026-11-28", 7n],
      ]),
      creditsIncludedNano: 0n,
      creditsUsedNano: 0n,
      paygNano: 17n,
      thresholdChargedNano: 0n,
      thresholdCents: 100,
      payAsYouGo: true,
      spendingLimitCents: null,
    });
    const c = withProjection(chart, range, {
      today: f.today,
      monthEnd: f.monthEnd,
      spentBeforeTodayNano: f.spentBeforeTodayNano.toString(),
      todayProjectedNano: f.todayProjectedNano.toString(),
      ratePerDayNano: f.ratePerDayNano.toString(),
    });
    expect(c.projection!.monthEndNano).toBe(f.projectedSpendNano.toString());
  });

  it("a range that does not include today, or no forecast: the chart as it was", () => {
    const past = { from: "2026-10-01", to: "2026-11-01" };
    const pastChart = prepareDailyChart([], past);
    expect(withProjection(pastChart, past, line)).toBe(pastChart);
    expect(withProjection(chart, range, null)).toBe(chart);
    // A range ending yesterday (exclusive today) does not include today either.
    const untilYesterday = { from: "2026-11-20", to: "2026-11-28" };
    const c = prepareDailyChart([], untilYesterday);
    expect(withProjection(c, untilYesterday, line).projection).toBeUndefined();
  });

  it("a range reaching past the month end: the line stops at the month's last day", () => {
    const wide = { from: "2026-11-27", to: "2026-12-03" };
    const c = withProjection(prepareDailyChart([], wide), wide, line);
    expect(c.days.map((d) => d.day)).toEqual([
      "2026-11-27",
      "2026-11-28",
      "2026-11-29",
      "2026-11-30",
      "2026-12-01",
      "2026-12-02",
    ]);
    expect(c.days.map((d) => d.projected?.nano ?? null)).toEqual([null, "12", "10", "10", null, null]);
  });
});
