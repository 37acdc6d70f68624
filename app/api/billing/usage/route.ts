import { getUsage } from "@/lib/api/contracts/billing";
import { getDb } from "@/lib/db/client";
import { resolveOrgAccess } from "@/lib/accounts/access";
import { AppError } from "@/lib/http/errors";
import { route } from "@/lib/http/route";
import { usageView } from "@/lib/usage/usage-view";

/** The caller's usage breakdown, or an org's (billTo) for its members, from the daily rollups. */
export const GET = route(getUsage, async ({ principal, query }) => {
  const db = getDb();
  let accountId: string;
  if (query.billTo) {
    const access = await resolveOrgAccess(db, {
      userId: principal.userId,
      orgName: query.billTo,
      required: "read",
    });
    if (access.account.plan === "free") {
      throw new AppError(
        403,
        "org_plan_required",
        `${access.org.name} is on the Free plan: usage breakdowns are for Team and Enterprise organizations.`,
      );
    }
    accountId = access.account.id;
  } else {
    accountId = (
      await db.billingAccount.findUniqueOrThrow({ where: { userId: principal.userId }, select: { id: true } })
    ).id;
  }
  return usageView(db, { accountId, from: query.from, to: query.to, groupBy: query.groupBy });
});
