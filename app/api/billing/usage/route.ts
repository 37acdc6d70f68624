import { getUsage } from "@/lib/api/contracts/billing";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/api/route";
import { tokenScope, usageAccountId } from "@/lib/usage/usage-account";
import { usageView } from "@/lib/usage/usage-view";

/** The caller's usage breakdown, or an org's (billTo) for its members, from the daily rollups. */
export const GET = route(getUsage, async ({ principal, query }) => {
  const db = getDb();
  const accountId = await usageAccountId(db, { userId: principal.userId, billTo: query.billTo });
  return usageView(db, {
    accountId,
    from: query.from,
    to: query.to,
    groupBy: query.groupBy,
    tokensOf:
      query.groupBy === "token"
        ? await tokenScope(db, { userId: principal.userId, billTo: query.billTo })
        : undefined,
  });
});
