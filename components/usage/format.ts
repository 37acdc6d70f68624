import { formatNano } from "@/lib/money/format";

const integers = new Map<string, Intl.NumberFormat>();
function integerFormat(locale: string) {
  let f = integers.get(locale);
  if (!f) integers.set(locale, (f = new Intl.NumberFormat(locale)));
  return f;
}

/** 1234567 -> "1,234,567" in en-US, "1.234.567" in de-DE. BigInt stays exact. */
export const formatCount = (n: number | bigint, locale: string) => integerFormat(locale).format(n);

/** Compute time in seconds with one decimal, from milliseconds, exact (no float). */
export function formatSeconds(ms: bigint, locale: string) {
  const tenths = (ms + 50n) / 100n;
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(
    `${tenths / 10n}.${tenths % 10n}` as `${number}`,
  );
}

export const formatUsd = (nano: bigint | string, locale: string) => formatNano(BigInt(nano), locale);
/** The same, always with 4 decimals: for table columns. */
export const formatUsdFixed = (nano: bigint | string, locale: string) =>
  formatNano(BigInt(nano), locale, true);

/**
 * "Oct 22 – Nov 21, 2026" for a [from, to) range of UTC days. ICU versions space the dash
 * differently (Node's thin spaces, Chromium's plain ones), so the server's text would not match
 * the browser's at hydration: every Unicode space becomes a plain one.
 */
export function formatRange(from: string, toExclusive: string, locale: string) {
  const last = new Date(Date.parse(toExclusive) - 86_400_000);
  const fmt = new Intl.DateTimeFormat(locale, {
    month: "short",
    day: "numeric",
    year: "numeric",
    timeZone: "UTC",
  });
  return fmt.formatRange(new Date(from), last).replace(/\s/gu, " ");
}

export function formatDay(day: string, locale: string) {
  return new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" }).format(
    new Date(day),
  );
}
