import { getForecast } from "@/lib/api/contracts/insights";
import { appBillingNow } from "@/lib/ledger/app-context";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/api/route";
import { monthForecast } from "@/lib/usage/month-forecast";
import { usageAccountId } from "@/lib/usage/usage-account";

/** This month's projected spend, its band, when credits and the limit run out, and the threshold charges ahead. */
export const GET = route(getForecast, async ({ principal, query }) => {
  const db = getDb();
  const accountId = await usageAccountId(db, { userId: principal.userId, billTo: query.billTo });
  return monthForecast(db, { accountId, now: await appBillingNow(db) });
});
