import type { Db } from "@/lib/db/prisma";
import { asJson } from "@/lib/http/json";
import { usageBreakdown } from "./breakdown";
import type { BreakdownWire, GroupBy } from "./wire";

/**
 * The breakdown exactly as GET /api/billing/usage answers it, so a page can prefetch it into
 * the same react-query cache entry the browser would fill.
 */
export async function usageView(
  db: Db,
  input: { accountId: string; from: Date; to: Date; groupBy: GroupBy },
): Promise<BreakdownWire> {
  const { rows, total } = await usageBreakdown(db, input);
  return asJson<BreakdownWire>({
    from: input.from.toISOString().slice(0, 10),
    to: input.to.toISOString().slice(0, 10),
    groupBy: input.groupBy,
    rows,
    total,
  });
}
