import { z } from "zod";
import { formatPeriod, isoDay } from "@/lib/kernel/period";
import { retentionHorizon, usageRetentionMonths } from "@/lib/kernel/retention";

/**
 * The days a date parameter may name: from the first month whose usage is still kept to two
 * years ahead (a billing clock moved for a demo or a test runs ahead of real time). Outside it
 * there is nothing to read, and a far-off year would only reach SQL as a value it cannot take
 * (year 0) or a scan of nothing.
 */
export function dateWindow(now = new Date()): { first: Date; end: Date } {
  return {
    first: retentionHorizon(now, usageRetentionMonths()),
    end: new Date(Date.UTC(now.getUTCFullYear() + 2, now.getUTCMonth() + 1, 1)),
  };
}

function outsideWindow(at: Date, ctx: z.core.$RefinementCtx, shown: (d: Date) => string) {
  const { first, end } = dateWindow();
  if (at >= first && at < end) return;
  const last = new Date(end.getTime() - 86_400_000);
  ctx.addIssue({
    code: "custom",
    message: `Give a date from ${shown(first)} to ${shown(last)}: usage is kept for ${usageRetentionMonths()} months.`,
  });
}

/** A UTC calendar day, YYYY-MM-DD (no 2026-02-30), inside dateWindow(). */
export const dayParam = z.iso
  .date({ message: "Dates are YYYY-MM-DD (UTC)." })
  .superRefine((s, ctx) => outsideWindow(new Date(s), ctx, isoDay));

/** A calendar month, YYYY-MM, inside dateWindow(); parsed to its first day. */
export const monthParam = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: "Give the month as YYYY-MM, e.g. 2026-11." })
  .superRefine((s, ctx) => outsideWindow(new Date(`${s}-01T00:00:00.000Z`), ctx, formatPeriod))
  .transform((s) => new Date(`${s}-01T00:00:00.000Z`));

/**
 * A whole number in plain decimal digits, as a query string carries it. Number() would also
 * take "0x10", "1e3", " 7" and "" (as 0).
 */
export function decimalIntParam(messages: { name: string; min: number; max: number; range: string }) {
  return z
    .string()
    .regex(/^\d{1,16}$/, { message: `${messages.name} is a whole number in decimal digits.` })
    .transform(Number)
    .pipe(z.number().int().min(messages.min, messages.range).max(messages.max, messages.range));
}
