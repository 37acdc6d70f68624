/** How often a token's spending limit starts again (UTC; weeks start on Monday). */
export const LIMIT_RESETS = ["daily", "weekly", "monthly", "never"] as const;
export type LimitReset = (typeof LIMIT_RESETS)[number];

/** A window of a token's limit: spend since `start` counts; `resetsAt` null for "never". */
export interface TokenWindow {
  start: Date;
  resetsAt: Date | null;
}

const DAY_MS = 86_400_000;
/** The start of the "never" window: all time. */
export const ALL_TIME = new Date(0);

/**
 * THE rule for a token limit's window at an instant of the billing clock: daily from 00:00 UTC,
 * weekly from Monday 00:00 UTC, monthly from the 1st 00:00 UTC, never: all time. A request
 * belongs to the window it started in (its hold records that window's start).
 */
export function tokenWindow(reset: LimitReset, at: Date): TokenWindow {
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  switch (reset) {
    case "daily":
      return { start: new Date(day), resetsAt: new Date(day + DAY_MS) };
    case "weekly": {
      const sinceMonday = (at.getUTCDay() + 6) % 7; // getUTCDay: 0 is Sunday
      const start = day - sinceMonday * DAY_MS;
      return { start: new Date(start), resetsAt: new Date(start + 7 * DAY_MS) };
    }
    case "monthly":
      return {
        start: new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1)),
        resetsAt: new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1)),
      };
    case "never":
      return { start: ALL_TIME, resetsAt: null };
  }
}

/** A limited token's current window as the API and the tokens page show it. */
export interface TokenWindowSpend {
  start: string;
  resetsAt: string | null;
  /** What its routed requests started in the window were billed, exactly (decimal nano-dollars). */
  spentNano: string;
  spentCents: number;
  /** Held by its requests in flight. */
  reservedCents: number;
}
