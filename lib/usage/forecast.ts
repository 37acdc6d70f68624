import { paygRoomNano } from "@/lib/ledger/room";
import { thresholdChargesDue } from "@/lib/ledger/threshold";
import { centsToNano, divRoundHalfUp } from "@/lib/money/units";
import { addDays, daysBetween, isoDay } from "./range";

/**
 * The month-end forecast of an account's routed spend (what the platform bills: credits +
 * pay-as-you-go), all in BigInt nano-dollars, day by day (UTC), so it is exact and stable for a
 * whole day: the page and the API agree whenever they are read on the same day.
 *
 * Estimator ("the current rate"): the mean daily spend of the month's complete days (the UTC
 * days before today; days without usage count as zero). Today counts at least at that rate:
 * max(today so far, rate). Each later day of the month counts at the rate. On the 1st there is
 * no complete day yet, so today's spend so far is the rate (an underestimate early in the day).
 *
 * Band: the projection ± 2 standard deviations of the projected part. With n complete days,
 * their sample variance s², and R days projected at the rate (the days after today, and today
 * when it counts at the rate), the projected part varies as s²·(R + R²/n): R independent days,
 * plus the uncertainty of the rate itself (a mean of n days). So half-width = 2·s·√(R(n+R)/n),
 * about a 95% range if days vary independently. It needs n ≥ 2 (one day has no variation);
 * the low end is never below what is already spent. One rounding: the integer square root
 * (floor) of the variance, itself floored to a whole nano-dollar².
 */
export interface ForecastInput {
  /** The billing clock's now. */
  now: Date;
  /** Routed spend (credits + pay-as-you-go) by UTC day ("YYYY-MM-DD"); days outside this month are ignored. */
  dailySpendNano: ReadonlyMap<string, bigint>;
  creditsIncludedNano: bigint;
  creditsUsedNano: bigint;
  paygNano: bigint;
  /** Pay-as-you-go already charged by threshold charges this month. */
  thresholdChargedNano: bigint;
  thresholdCents: number;
  payAsYouGo: boolean;
  spendingLimitCents: number | null;
}

/** When a budget runs out: already, on a UTC day of this month, or not before the month ends. */
export type RunOut = { state: "reached" } | { state: "on"; day: string } | { state: "not_this_month" };

export interface Forecast {
  period: string;
  today: string;
  /** The first day of next month (exclusive end of this one). */
  monthEnd: string;
  daysInMonth: number;
  /** The sample the rate and the band come from: the month's days before today. */
  completeDays: number;
  spentBeforeTodayNano: bigint;
  todaySoFarNano: bigint;
  spentSoFarNano: bigint;
  ratePerDayNano: bigint;
  /** Today's expected total: max(today so far, rate). */
  todayProjectedNano: bigint;
  /** Month-end routed spend at the current rate, whatever limits would refuse. */
  projectedSpendNano: bigint;
  band: { lowNano: bigint; highNano: bigint } | null;
  /** Month-end pay-as-you-go: beyond the credits left, at most the spending limit, none without pay-as-you-go. */
  projectedPaygNano: bigint;
  /** Threshold charges still to come this month at that pay-as-you-go (lib/ledger/threshold.ts). */
  thresholdChargesAhead: number;
  credits: RunOut;
  /** null: no spending limit (or no pay-as-you-go for it to cap). "reached": no pay-as-you-go room left. */
  limit: RunOut | null;
}

const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);

/** ⌊√n⌋ of a non-negative BigInt (Newton's method from a power of two above the root). */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError("isqrt needs n >= 0");
  if (n < 2n) return n;
  let x = 1n << BigInt((n.toString(2).length + 1) >> 1); // 2^⌈bits/2⌉ > √n
  for (;;) {
    const y = (x + n / x) / 2n;
    if (y >= x) return x;
    x = y;
  }
}

export function forecastMonth(input: ForecastInput): Forecast {
  const today = isoDay(input.now);
  const period = `${today.slice(0, 7)}-01`;
  const monthEnd = isoDay(new Date(Date.UTC(input.now.getUTCFullYear(), input.now.getUTCMonth() + 1, 1)));
  const daysInMonth = daysBetween(period, monthEnd);
  const completeDays = daysBetween(period, today);
  const daysAfterToday = daysBetween(today, monthEnd) - 1;

  let spentBefore = 0n;
  let squares = 0n;
  for (let d = period; d < today; d = addDays(d, 1)) {
    const x = input.dailySpendNano.get(d) ?? 0n;
    spentBefore += x;
    squares += x * x;
  }
  const todaySoFar = input.dailySpendNano.get(today) ?? 0n;
  const spentSoFar = spentBefore + todaySoFar;
  const rate = completeDays > 0 ? divRoundHalfUp(spentBefore, BigInt(completeDays)) : todaySoFar;
  const todayProjected = max(todaySoFar, rate);
  const projected = spentBefore + todayProjected + rate * BigInt(daysAfterToday);

  // Days projected at the rate: the band's R.
  const atRate = BigInt(daysAfterToday + (todayProjected > todaySoFar ? 1 : 0));
  let band: Forecast["band"] = null;
  if (completeDays >= 2) {
    const n = BigInt(completeDays);
    const spread = n * squares - spentBefore * spentBefore; // n²·(population variance) ≥ 0
    const half = isqrt((4n * spread * atRate * (n + atRate)) / (n * n * (n - 1n)));
    band = { lowNano: max(spentSoFar, projected - half), highNano: projected + half };
  }

  const creditsLeft = max(0n, input.creditsIncludedNano - input.creditsUsedNano);
  const limitNano = input.spendingLimitCents === null ? null : centsToNano(input.spendingLimitCents);
  const future = projected - spentSoFar;
  let projectedPayg = input.paygNano;
  if (input.payAsYouGo) {
    projectedPayg += max(0n, future - creditsLeft);
    if (limitNano !== null) projectedPayg = min(projectedPayg, max(input.paygNano, limitNano));
  }

  // When the spend still to come reaches `room`: today, a later day of this month, or not this month.
  const runOut = (room: bigint): RunOut => {
    const todayRest = todayProjected - todaySoFar;
    if (room <= todayRest) return { state: "on", day: today };
    if (rate === 0n) return { state: "not_this_month" };
    const days = (room - todayRest + rate - 1n) / rate; // whole days after today, rounded up
    return days <= BigInt(daysAfterToday)
      ? { state: "on", day: addDays(today, Number(days)) }
      : { state: "not_this_month" };
  };
  // Holds in flight are left out: they settle (or are released) within minutes.
  const limitRoom = paygRoomNano({
    paygNano: input.paygNano,
    reservedNano: 0n,
    creditsLeftNano: creditsLeft,
    limitNano,
  });

  return {
    period: period.slice(0, 7),
    today,
    monthEnd,
    daysInMonth,
    completeDays,
    spentBeforeTodayNano: spentBefore,
    todaySoFarNano: todaySoFar,
    spentSoFarNano: spentSoFar,
    ratePerDayNano: rate,
    todayProjectedNano: todayProjected,
    projectedSpendNano: projected,
    band,
    projectedPaygNano: projectedPayg,
    thresholdChargesAhead: input.payAsYouGo
      ? thresholdChargesDue({
          paygNano: projectedPayg,
          chargedNano: input.thresholdChargedNano,
          thresholdCents: input.thresholdCents,
        })
      : 0,
    credits: creditsLeft <= 0n ? { state: "reached" } : runOut(creditsLeft),
    limit:
      limitRoom === null || !input.payAsYouGo
        ? null
        : limitRoom <= 0n
          ? { state: "reached" }
          : runOut(creditsLeft + limitRoom),
  };
}
