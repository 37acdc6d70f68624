import { getSavings } from "@/lib/api/contracts/insights";
import { MAX_SAVINGS_MONTHS } from "@/lib/api/schemas";
import { appBillingNow } from "@/lib/ledger/app-context";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/api/route";
import { customKeySavings, savingsMonths } from "@/lib/usage/savings";
import { usageAccountId } from "@/lib/usage/usage-account";

/** Custom-key requests per provider and month: their list price ("if routed") beside what was billed. */
export const GET = route(getSavings, async ({ principal, query }) => {
  const db = getDb();
  const accountId = await usageAccountId(db, { userId: principal.userId, billTo: query.billTo });
  const months = savingsMonths(
    await appBillingNow(db),
    { from: query.from, to: query.to },
    3,
    MAX_SAVINGS_MONTHS,
  );
  return customKeySavings(db, { accountId, months });
});
