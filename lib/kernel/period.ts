import { z } from "zod";

/** Billing periods are UTC calendar months, named by their first day (a Date at 00:00 UTC). */
export function periodStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

export function nextPeriod(period: Date): Date {
  return new Date(Date.UTC(period.getUTCFullYear(), period.getUTCMonth() + 1, 1));
}

export function previousPeriod(period: Date): Date {
  return new Date(Date.UTC(period.getUTCFullYear(), period.getUTCMonth() - 1, 1));
}

/** "2026-11-05": the UTC day of an instant, as SQL's date literals take it. */
export const isoDay = (at: Date): string => at.toISOString().slice(0, 10);

/** "2026-11" */
export function formatPeriod(period: Date): string {
  return period.toISOString().slice(0, 7);
}

export const periodSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: "Give the month as YYYY-MM, e.g. 2026-11." })
  .transform((s) => new Date(`${s}-01T00:00:00.000Z`));
