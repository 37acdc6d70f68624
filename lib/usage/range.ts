/**
 * The date range of a usage view: UTC days, `from` inclusive and `to` exclusive, exactly as
 * GET /api/billing/usage takes them (and as invoice periods store them), so a link like
 * `?from=2026-10-01&to=2026-11-01` shows the month of October.
 */
export interface UsageRange {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
/** The longest range the API answers. */
export const MAX_RANGE_DAYS = 366;

export const isoDay = (d: Date) => d.toISOString().slice(0, 10);
export const addDays = (day: string, n: number) => isoDay(new Date(Date.parse(day) + n * DAY_MS));
/** Whole days: both are UTC midnights, so the difference is an exact multiple of a day. */
export const daysBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / DAY_MS;

function validDay(s: string | undefined | null): s is string {
  return (
    typeof s === "string" && ISO_DAY.test(s) && !Number.isNaN(Date.parse(s)) && isoDay(new Date(s)) === s
  );
}

/** The past month: the 31 UTC days ending with today (the API's own default). */
export function pastMonth(now: Date): UsageRange {
  const to = addDays(isoDay(now), 1);
  return { from: addDays(to, -31), to };
}

/** The current billing month so far (UTC calendar month). */
export function thisMonth(now: Date): UsageRange {
  const from = `${isoDay(now).slice(0, 7)}-01`;
  return { from, to: addDays(isoDay(now), 1) };
}

export function lastDays(now: Date, days: number): UsageRange {
  const to = addDays(isoDay(now), 1);
  return { from: addDays(to, -days), to };
}

/**
 * The range from a page's query string, or the past month. A range that is malformed, empty
 * or longer than the API allows falls back to the default rather than failing the page.
 */
export function rangeFromParams(params: { from?: string | null; to?: string | null }, now: Date): UsageRange {
  const fallback = pastMonth(now);
  const from = validDay(params.from) ? params.from : null;
  const to = validDay(params.to) ? params.to : null;
  if (!from && !to) return fallback;
  const range = {
    from: from ?? addDays(to!, -31),
    to: to ?? (from! < fallback.to ? fallback.to : addDays(from!, 31)),
  };
  const days = daysBetween(range.from, range.to);
  return days > 0 && days <= MAX_RANGE_DAYS ? range : fallback;
}

/** Every UTC day in the range, in order. */
export function daysOf(range: UsageRange): string[] {
  const out: string[] = [];
  for (let d = range.from; d < range.to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The previous UTC calendar month, whole (what its invoice covers). */
export function lastMonth(now: Date): UsageRange {
  const first = `${isoDay(now).slice(0, 7)}-01`;
  const previous = isoDay(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)));
  return { from: previous, to: first };
}

/** The picker's shortcuts. */
export function rangePresets(now: Date): { label: string; range: UsageRange }[] {
  return [
    { label: "Past month", range: pastMonth(now) },
    { label: "Last 7 days", range: lastDays(now, 7) },
    { label: "This month", range: thisMonth(now) },
    { label: "Last month", range: lastMonth(now) },
  ];
}
