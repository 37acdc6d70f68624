import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { thresholdChargesDue } from "@/lib/ledger/threshold";
import { forecastMonth, isqrt, type ForecastInput, type RunOut } from "./forecast";
import { addDays } from "./range";

const DOLLAR = 1_000_000_000n;
const CENT = 10_000_000n;

/**
 * Generated traffic: `perDay(i)` nano-dollars on the i-th day of the month (0-based) before
 * today, `today` so far on today; the month's counters follow the product's rules (credits
 * first, then pay-as-you-go, threshold charges for each whole threshold).
 */
function traffic(opts: {
  now: string;
  perDay: (i: number) => bigint;
  today?: bigint;
  creditsNano?: bigint;
  thresholdCents?: number;
  payAsYouGo?: boolean;
  limitCents?: number | null;
  paygNano?: bigint;
}): ForecastInput {
  const now = new Date(opts.now);
  const first = `${opts.now.slice(0, 7)}-01`;
  const todayDay = opts.now.slice(0, 10);
  const daily = new Map<string, bigint>();
  let spent = 0n;
  for (let i = 0, d = first; d < todayDay; i++, d = addDays(d, 1)) {
    const x = opts.perDay(i);
    if (x > 0n) daily.set(d, x); // days without usage have no rollup row
    spent += x;
  }
  if (opts.today) daily.set(todayDay, opts.today);
  spent += opts.today ?? 0n;
  const included = opts.creditsNano ?? 2n * DOLLAR;
  const creditsUsed = spent < included ? spent : included;
  const thresholdCents = opts.thresholdCents ?? 10_000;
  const payg = opts.paygNano ?? spent - creditsUsed;
  const charges = thresholdChargesDue({ paygNano: payg, chargedNano: 0n, thresholdCents });
  return {
    now,
    dailySpendNano: daily,
    creditsIncludedNano: included,
    creditsUsedNano: creditsUsed,
    paygNano: payg,
    thresholdChargedNano: BigInt(charges) * BigInt(thresholdCents) * CENT,
    thresholdCents,
    payAsYouGo: opts.payAsYouGo ?? true,
    spendingLimitCents: opts.limitCents ?? null,
  };
}

/** Reference: walk the days, adding each day's projected spend, until the budget still to spend is used. */
function simulatedRunOut(input: ForecastInput, room: bigint): RunOut {
  const f = forecastMonth(input);
  if (room <= 0n) return { state: "reached" };
  let spent = f.todayProjectedNano - f.todaySoFarNano;
  for (let day = f.today; day < f.monthEnd; day = addDays(day, 1), spent += f.ratePerDayNano)
    if (spent >= room) return { state: "on", day };
  return { state: "not_this_month" };
}

/** reached < a day (earlier first) < not this month. */
const order = (r: RunOut) => (r.state === "reached" ? "0" : r.state === "on" ? `1${r.day}` : "2");

describe("forecastMonth on generated traffic", () => {
  it("steady traffic projects exactly, with a band of zero width", () => {
    // $3 a day, in a 30-day month; at noon on the 15th, half a day's spend so far.
    const f = forecastMonth(
      traffic({ now: "2026-11-15T12:00:00Z", perDay: () => 3n * DOLLAR, today: 1_500_000_000n }),
    );
    expect(f).toMatchObject({
      period: "2026-11",
      today: "2026-11-15",
      monthEnd: "2026-12-01",
      daysInMonth: 30,
      completeDays: 14,
      spentSoFarNano: 43_500_000_000n,
      ratePerDayNano: 3n * DOLLAR,
      todayProjectedNano: 3n * DOLLAR,
      projectedSpendNano: 90n * DOLLAR,
      band: { lowNano: 90n * DOLLAR, highNano: 90n * DOLLAR },
      projectedPaygNano: 88n * DOLLAR, // $2.00 of PRO credits
      thresholdChargesAhead: 0, // $88 stays under the $100 threshold
      credits: { state: "reached" },
      limit: null,
    });
  });

  it("a month with no usage: nothing projected, nothing runs out, no charges", () => {
    const f = forecastMonth(
      traffic({ now: "2026-02-20T09:00:00Z", perDay: () => 0n, limitCents: 5_000, creditsNano: 4n * DOLLAR }),
    );
    expect(f).toMatchObject({
      daysInMonth: 28,
      completeDays: 19,
      spentSoFarNano: 0n,
      ratePerDayNano: 0n,
      projectedSpendNano: 0n,
      band: { lowNano: 0n, highNano: 0n },
      projectedPaygNano: 0n,
      thresholdChargesAhead: 0,
      credits: { state: "not_this_month" },
      limit: { state: "not_this_month" },
    });
  });

  it("first day of the month: today so far is the rate, and there is no band yet", () => {
    const f = forecastMonth(traffic({ now: "2026-12-01T06:00:00Z", perDay: () => 0n, today: 5n * DOLLAR }));
    expect(f).toMatchObject({
      completeDays: 0,
      ratePerDayNano: 5n * DOLLAR,
      todayProjectedNano: 5n * DOLLAR,
      projectedSpendNano: 155n * DOLLAR, // 31 days
      band: null,
      projectedPaygNano: 153n * DOLLAR,
      thresholdChargesAhead: 1, // $153: one charge of $100, $53 on the invoice
    });
    // At the very start, with nothing spent yet, nothing is projected.
    const empty = forecastMonth(traffic({ now: "2026-12-01T00:00:00Z", perDay: () => 0n }));
    expect(empty.projectedSpendNano).toBe(0n);
    expect(empty.credits).toEqual({ state: "not_this_month" });
  });

  it("a spending limit already exceeded: reached, and pay-as-you-go is not projected past it", () => {
    // An admin lowered the limit to $50 after $60 of pay-as-you-go.
    const input = traffic({
      now: "2026-11-20T12:00:00Z",
      perDay: () => 4n * DOLLAR,
      creditsNano: 16n * DOLLAR,
      limitCents: 5_000,
      paygNano: 60n * DOLLAR,
    });
    const f = forecastMonth(input);
    expect(f.limit).toEqual({ state: "reached" });
    expect(f.credits).toEqual({ state: "reached" });
    expect(f.projectedPaygNano).toBe(60n * DOLLAR);
    expect(f.thresholdChargesAhead).toBe(0);
    // The demand at the current rate is still shown: 30 days at $4.
    expect(f.projectedSpendNano).toBe(120n * DOLLAR);
  });

  it("a limit reached later this month: the day it runs out and pay-as-you-go capped at it", () => {
    // Team org, $4 of credits, $10 a day, a $100 limit: credits + limit = $104 of spend, reached
    // during the 11th (end of the 10th: $100, end of the 11th: $110).
    const f = forecastMonth(
      traffic({
        now: "2026-11-05T12:00:00Z",
        perDay: () => 10n * DOLLAR,
        today: 5n * DOLLAR,
        creditsNano: 4n * DOLLAR,
        limitCents: 10_000,
        thresholdCents: 5_000,
      }),
    );
    expect(f.limit).toEqual({ state: "on", day: "2026-11-11" });
    expect(f.credits).toEqual({ state: "reached" });
    expect(f.projectedSpendNano).toBe(300n * DOLLAR);
    expect(f.projectedPaygNano).toBe(100n * DOLLAR);
    // $41 of pay-as-you-go so far: no $50 charge yet; at $100, two charges ahead.
    expect(f.thresholdChargesAhead).toBe(2);
  });

  it("credits run out mid-month: the day they are used up", () => {
    // $20 of credits at $2 a day: used up at the end of the 10th.
    const f = forecastMonth(
      traffic({
        now: "2026-11-05T08:00:00Z",
        perDay: () => 2n * DOLLAR,
        today: DOLLAR,
        creditsNano: 20n * DOLLAR,
      }),
    );
    expect(f.credits).toEqual({ state: "on", day: "2026-11-10" });
    // Once used up, "reached".
    const later = forecastMonth(
      traffic({ now: "2026-11-15T08:00:00Z", perDay: () => 2n * DOLLAR, creditsNano: 20n * DOLLAR }),
    );
    expect(later.credits).toEqual({ state: "reached" });
    // Spent faster today than the rate: today's spend so far counts; the last dollar goes tomorrow.
    const today = forecastMonth(
      traffic({
        now: "2026-11-05T08:00:00Z",
        perDay: () => 2n * DOLLAR,
        today: 13n * DOLLAR,
        creditsNano: 22n * DOLLAR,
      }),
    );
    expect(today.todayProjectedNano).toBe(13n * DOLLAR);
    expect(today.credits).toEqual({ state: "on", day: "2026-11-06" });
  });

  it("Free: no pay-as-you-go, no charges, no limit to reach; credits are the budget", () => {
    const f = forecastMonth(
      traffic({
        now: "2026-11-10T12:00:00Z",
        perDay: (i) => (i % 2 === 0 ? 1n * CENT : 0n),
        creditsNano: 10n * CENT,
        payAsYouGo: false,
        paygNano: 0n,
      }),
    );
    expect(f.projectedPaygNano).toBe(0n);
    expect(f.thresholdChargesAhead).toBe(0);
    expect(f.limit).toBeNull();
    // 5 cents over 9 days; 10 cents of credits: 5 cents left, at 5/9 of a cent a day.
    expect(f.credits).toEqual({ state: "on", day: addDays("2026-11-10", 8) });
  });

  it("the band is 2 standard deviations of the projected part (checked against floats)", () => {
    const pattern = [7n, 1n, 4n, 0n, 9n, 3n, 5n, 2n, 8n, 6n].map((d) => d * DOLLAR);
    const input = traffic({ now: "2026-11-11T12:00:00Z", perDay: (i) => pattern[i]!, today: 0n });
    const f = forecastMonth(input);
    const xs = pattern.map((x) => Number(x));
    const n = xs.length;
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    const s2 = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
    const r = 20; // today (at the rate) and the 19 days after it
    const half = 2 * Math.sqrt(s2 * (r + (r * r) / n));
    expect(f.ratePerDayNano).toBe(BigInt(mean));
    const width = Number(f.band!.highNano - f.projectedSpendNano);
    expect(Math.abs(width - half)).toBeLessThan(2);
    expect(f.band!.lowNano).toBe(f.projectedSpendNano - (f.band!.highNano - f.projectedSpendNano));
  });

  it("properties: projection ≥ spend so far, band holds it, run-outs match a day-by-day walk and come sooner at a higher rate", () => {
    const amounts = fc.bigInt({ min: 0n, max: 50n * DOLLAR });
    fc.assert(
      fc.property(
        fc.array(amounts, { minLength: 31, maxLength: 31 }),
        amounts,
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 86_399 }),
        fc.bigInt({ min: 0n, max: 500n * DOLLAR }),
        fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
        fc.integer({ min: 2, max: 4 }),
        (days, todaySoFar, dayIndex, second, credits, limitCents, factor) => {
          const now = new Date(Date.UTC(2026, 9, 1 + dayIndex, 0, 0, second)).toISOString();
          const input = traffic({
            now,
            perDay: (i) => days[i]!,
            today: todaySoFar,
            creditsNano: credits,
            limitCents,
            thresholdCents: 2_500,
          });
          const f = forecastMonth(input);
          expect(f.projectedSpendNano).toBeGreaterThanOrEqual(f.spentSoFarNano);
          if (f.band) {
            expect(f.band.lowNano).toBeGreaterThanOrEqual(f.spentSoFarNano);
            expect(f.band.lowNano).toBeLessThanOrEqual(f.projectedSpendNano);
            expect(f.band.highNano).toBeGreaterThanOrEqual(f.projectedSpendNano);
          } else expect(f.completeDays).toBeLessThan(2);
          const creditsLeft = input.creditsIncludedNano - input.creditsUsedNano;
          expect(f.credits).toEqual(simulatedRunOut(input, creditsLeft));
          if (limitCents !== null) {
            const room = BigInt(limitCents) * CENT - input.paygNano;
            expect(f.limit).toEqual(
              room <= 0n ? { state: "reached" } : simulatedRunOut(input, creditsLeft + room),
            );
            expect(f.projectedPaygNano).toBeLessThanOrEqual(
              input.paygNano > BigInt(limitCents) * CENT ? input.paygNano : BigInt(limitCents) * CENT,
            );
          }
          expect(f.projectedPaygNano).toBeGreaterThanOrEqual(input.paygNano);
          // The same budget, spent `factor` times as fast, runs out no later.
          const fasterCredits = forecastMonth({
            ...input,
            dailySpendNano: new Map([...input.dailySpendNano].map(([d, x]) => [d, x * BigInt(factor)])),
          });
          expect(order(fasterCredits.credits) <= order(f.credits)).toBe(true);
          expect(fasterCredits.projectedSpendNano).toBeGreaterThanOrEqual(f.projectedSpendNano);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("isqrt", () => {
  it("is the floor of the square root, exact far beyond floats", () => {
    expect([0n, 1n, 2n, 3n, 4n, 8n, 9n, 10n].map(isqrt)).toEqual([0n, 1n, 1n, 1n, 2n, 2n, 3n, 3n]);
    const big = 123_456_789_012_345_678_901n;
    expect(isqrt(big * big)).toBe(big);
    expect(isqrt(big * big - 1n)).toBe(big - 1n);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 1n << 120n }), (n) => {
        const r = isqrt(n);
        expect(r * r <= n && n < (r + 1n) * (r + 1n)).toBe(true);
      }),
    );
    expect(() => isqrt(-1n)).toThrow(RangeError);
  });
});
