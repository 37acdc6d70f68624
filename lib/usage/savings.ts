import type { Db } from "@/lib/db/prisma";
import { formatPeriod, nextPeriod, periodStart, previousPeriod } from "@/lib/kernel/period";
import { AppError } from "@/lib/kernel/errors";
import { asJson } from "@/lib/http/json";
import { usageBreakdown } from "./breakdown";

/** Requests made with the caller's own key to one provider in one month. */
export interface SavingsLineWire {
  providerId: string;
  provider: string;
  /** Whether the platform can bill this provider at all (routing it needs a billing-integrated provider). */
  billingIntegrated: boolean;
  requests: number;
  /** At the catalog's list price in force when each request ran: what it would have cost routed. */
  listPriceNano: string;
  /** What the platform billed for them: nothing by the rules (the provider billed the key's owner). */
  billedNano: string;
}

export interface SavingsTotalWire {
  requests: number;
  listPriceNano: string;
  billedNano: string;
}

export interface SavingsWire {
  /** First and last month shown (YYYY-MM), newest first in `months`. */
  from: string;
  to: string;
  months: { month: string; lines: SavingsLineWire[]; total: SavingsTotalWire }[];
  total: SavingsTotalWire;
}

/**
 * The months to show, newest first: the `count` UTC months ending with the billing clock's, or
 * from..to (both included; a missing end defaults as above), at most `max` of them.
 */
export function savingsMonths(now: Date, range: { from?: Date; to?: Date }, count = 3, max = 12): Date[] {
  const to = periodStart(range.to ?? now);
  let from = range.from ? periodStart(range.from) : to;
  if (!range.from) for (let i = 1; i < count; i++) from = previousPeriod(from);
  const months: Date[] = [];
  for (let m = to; m >= from && months.length <= max; m = previousPeriod(m)) months.push(m);
  if (months.length === 0 || months.length > max)
    throw new AppError(400, "invalid_request", `Give from..to as 1 to ${max} months (YYYY-MM), from first.`);
  return months;
}

/**
 * Custom-key usage per provider and month, its list price beside what was billed, read through
 * usageBreakdown (the daily rollups), so each month's total equals the custom-key column of the
 * breakdown for that month to the nano-dollar.
 */
export async function customKeySavings(
  db: Db,
  input: { accountId: string; months: Date[] },
): Promise<SavingsWire> {
  const integrated = new Map(
    (await db.provider.findMany({ select: { id: true, billingIntegrated: true } })).map((p) => [
      p.id,
      p.billingIntegrated,
    ]),
  );
  const total = { requests: 0, listPriceNano: 0n, billedNano: 0n };
  const months = await Promise.all(
    input.months.map(async (month) => {
      const { rows } = await usageBreakdown(db, {
        accountId: input.accountId,
        from: month,
        to: nextPeriod(month),
        groupBy: "provider",
      });
      const lines = rows
        .filter((r) => r.customKey.requests > 0)
        .map((r) => ({
          providerId: r.key,
          provider: r.label,
          billingIntegrated: integrated.get(r.key) ?? false,
          requests: r.customKey.requests,
          listPriceNano: r.customKey.costNano,
          billedNano: r.customKey.billedNano,
        }))
        .sort((a, b) =>
          a.listPriceNano === b.listPriceNano
            ? a.provider.localeCompare(b.provider)
            : a.listPriceNano > b.listPriceNano
              ? -1
              : 1,
        );
      const sum = { requests: 0, listPriceNano: 0n, billedNano: 0n };
      for (const l of lines) {
        sum.requests += l.requests;
        sum.listPriceNano += l.listPriceNano;
        sum.billedNano += l.billedNano;
      }
      return { month: formatPeriod(month), lines, total: sum };
    }),
  );
  for (const m of months) {
    total.requests += m.total.requests;
    total.listPriceNano += m.total.listPriceNano;
    total.billedNano += m.total.billedNano;
  }
  return asJson<SavingsWire>({
    from: formatPeriod(input.months.at(-1)!),
    to: formatPeriod(input.months[0]!),
    months,
    total,
  });
}
