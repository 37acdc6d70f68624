import type { Db } from "@/lib/db/prisma";
import { asJson } from "@/lib/http/json";
import { usageBreakdown } from "./breakdown";
import { tokenBreakdown } from "./token-breakdown";
import type { BreakdownWire, GroupBy } from "./wire";

/**
 * The breakdown exactly as GET /api/billing/usage answers it, so a page can prefetch it into
 * the same react-query cache entry the browser would fill.
 */
export async function usageView(
  db: Db,
  input: { accountId: string; from: Date; to: Date; groupBy: GroupBy; userId?: string },
): Promise<BreakdownWire> {
  const { rows, total } =
    input.groupBy === "token"
      ? await tokenBreakdown(db, { ...input, userId: requiredCaller(input.userId) })
      : await usageBreakdown(db, { ...input, groupBy: input.groupBy });
  return asJson<BreakdownWire>({
    from: input.from.toISOString().slice(0, 10),
    to: input.to.toISOString().slice(0, 10),
    groupBy: input.groupBy,
    rows,
    total,
  });
}

/** By token is the caller's own usage: it needs to know who the caller is. */
function requiredCaller(userId: string | undefined): string {
  if (!userId) throw new Error("groupBy=token needs the caller's user id.");
  return userId;
}
