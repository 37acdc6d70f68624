import { describe, expect, it } from "vitest";
import { OTHER_SERIES, prepareDailyChart } from "./prepare-chart";
import { prepareTable, toggleSort } from "./prepare-table";
import { exactDecimal, usageCsv } from "./usage-csv";
import type { BreakdownRowWire, MetricsWire } from "./wire";

const metrics = (m: Partial<MetricsWire> = {}): MetricsWire => ({
  requests: 0,
  inputTokens: "0",
  outputTokens: "0",
  computeMs: "0",
  costNano: "0",
  billedNano: "0",
  creditsNano: "0",
  paygNano: "0",
  ...m,
});

const dayRow = (day: string, models: Record<string, bigint>): BreakdownRowWire => {
  const total = Object.values(models).reduce((a, b) => a + b, 0n);
  return {
    key: day,
    label: day,
    routed: metrics({ requests: 1, costNano: total.toString() }),
    customKey: metrics(),
    models: Object.entries(models).map(([key, nano]) => ({
      key,
      label: key.toUpperCase(),
      costNano: nano.toString(),
    })),
  };
};

const row = (
  key: string,
  routed: Partial<MetricsWire>,
  customKey: Partial<MetricsWire> = {},
): BreakdownRowWire => ({
  key,
  label: key,
  routed: metrics(routed),
  customKey: metrics(customKey),
});

describe("prepareDailyChart", () => {
  it("empty data: one zero point per day, no series", () => {
    const chart = prepareDailyChart([], { from: "2026-11-01", to: "2026-11-04" });
    expect(chart.empty).toBe(true);
    expect(chart.series).toEqual([]);
    expect(chart.days.map((d) => d.day)).toEqual(["2026-11-01", "2026-11-02", "2026-11-03"]);
    expect(chart.days.every((d) => d.totalNano === "0")).toBe(true);
    expect(chart.totalNano).toBe("0");
  });

  it("one day: one point with each model's exact amount", () => {
    const chart = prepareDailyChart([dayRow("2026-11-05", { a: 1_500_000_000n, b: 1n })], {
      from: "2026-11-05",
      to: "2026-11-06",
    });
    expect(chart.series).toEqual([
      { key: "a", label: "A" },
      { key: "b", label: "B" },
    ]);
    expect(chart.days).toHaveLength(1);
    expect(chart.days[0]!.exactNano).toEqual({ a: "1500000000", b: "1" });
    expect(chart.days[0]!.values.a).toBe(3 / 2); // chart geometry only
    expect(chart.days[0]!.totalNano).toBe("1500000001");
  });

  it("gaps: days without usage are zeros, so bars line up with the calendar", () => {
    const chart = prepareDailyChart([dayRow("2026-11-01", { a: 10n }), dayRow("2026-11-04", { a: 30n })], {
      from: "2026-11-01",
      to: "2026-11-06",
    });
    expect(chart.days.map((d) => d.exactNano.a)).toEqual(["10", "0", "0", "30", "0"]);
    expect(chart.totalNano).toBe("40");
  });

  it("many models: the most expensive keep their series, the rest become Other, totals kept", () => {
    const models = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`m${i}`, BigInt((i + 1) * 100)]));
    const rows = [dayRow("2026-11-01", models), dayRow("2026-11-02", { m0: 5n, m8: 5n })];
    const chart = prepareDailyChart(rows, { from: "2026-11-01", to: "2026-11-03" }, 5);
    expect(chart.series.map((s) => s.key)).toEqual(["m8", "m7", "m6", "m5", OTHER_SERIES]);
    expect(chart.series[4]!.label).toBe("Other (5 models)");
    expect(chart.days[0]!.exactNano[OTHER_SERIES]).toBe(String(100 + 200 + 300 + 400 + 500));
    expect(chart.days[1]!.exactNano).toMatchObject({ m8: "5", [OTHER_SERIES]: "5" });
    expect(chart.totalNano).toBe(String(4500 + 10));
  });

  it("exactly maxSeries models: no Other series", () => {
    const models = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`m${i}`, 1n]));
    const chart = prepareDailyChart(
      [dayRow("2026-11-01", models)],
      { from: "2026-11-01", to: "2026-11-02" },
      5,
    );
    expect(chart.series.map((s) => s.key)).toEqual(["m0", "m1", "m2", "m3", "m4"]);
  });
});

describe("prepareTable", () => {
  const rows = [
    row(
      "b",
      { requests: 2, costNano: "300", inputTokens: "10" },
      { requests: 1, costNano: "50", inputTokens: "5" },
    ),
    row("a", { requests: 1, costNano: "100", computeMs: "1500" }),
    row("c", {}, { requests: 3, costNano: "500", outputTokens: "7" }),
  ];

  it("empty data: no rows and a zero total", () => {
    const t = prepareTable([]);
    expect(t.rows).toEqual([]);
    expect(t.total.totalCostNano).toBe(0n);
    expect(t.total.routedRequests + t.total.customKeyRequests).toBe(0);
  });

  it("puts routed and custom key side by side and sums tokens across both", () => {
    const [b] = prepareTable(rows.slice(0, 1)).rows;
    expect(b).toMatchObject({
      routedRequests: 2,
      customKeyRequests: 1,
      inputTokens: 15n,
      routedCostNano: 300n,
      customKeyCostNano: 50n,
      totalCostNano: 350n,
    });
  });

  it("sorts by any column both ways; the total is the sum of the rows whatever the order", () => {
    const byCost = prepareTable(rows);
    expect(byCost.rows.map((r) => r.key)).toEqual(["c", "b", "a"]);
    const byName = prepareTable(rows, { column: "label", direction: "asc" });
    expect(byName.rows.map((r) => r.key)).toEqual(["a", "b", "c"]);
    const byRouted = prepareTable(rows, { column: "routedCostNano", direction: "asc" });
    expect(byRouted.rows.map((r) => r.key)).toEqual(["c", "a", "b"]);
    for (const t of [byCost, byName, byRouted])
      expect(t.total).toMatchObject({
        routedRequests: 3,
        customKeyRequests: 4,
        inputTokens: 15n,
        outputTokens: 7n,
        computeMs: 1500n,
        routedCostNano: 400n,
        customKeyCostNano: 550n,
        totalCostNano: 950n,
      });
  });

  it("toggles the direction on the same column and starts a new one descending", () => {
    expect(toggleSort({ column: "totalCostNano", direction: "desc" }, "totalCostNano").direction).toBe("asc");
    expect(toggleSort({ column: "totalCostNano", direction: "desc" }, "inputTokens")).toEqual({
      column: "inputTokens",
      direction: "desc",
    });
    expect(toggleSort({ column: "totalCostNano", direction: "desc" }, "label").direction).toBe("asc");
  });
});

describe("usageCsv", () => {
  it("writes exact amounts whose rows add up to the total line", () => {
    const t = prepareTable([
      row("x/one", { requests: 1, costNano: "123456789", computeMs: "1234" }),
      row('=say "hi", 1+1', {}, { requests: 2, costNano: "1" }),
    ]);
    const csv = usageCsv("model", t.rows, t.total);
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "model,routed_requests,custom_key_requests,input_tokens,output_tokens,compute_seconds,routed_cost_usd,custom_key_cost_usd,total_cost_usd",
    );
    expect(lines[1]).toBe("x/one,1,0,0,0,1.234,0.123456789,0,0.123456789");
    expect(lines[2]).toBe(`"'=say ""hi"", 1+1",0,2,0,0,0,0,0.000000001,0.000000001`);
    expect(lines[3]).toBe("Total,1,2,0,0,1.234,0.123456789,0.000000001,0.12345679");
  });

  it("exactDecimal keeps every digit", () => {
    expect(exactDecimal(0n, 9)).toBe("0");
    expect(exactDecimal(1_000_000_000n, 9)).toBe("1");
    expect(exactDecimal(1_200_000_001n, 9)).toBe("1.200000001");
    expect(exactDecimal(-5n, 3)).toBe("-0.005");
  });
});
