import type { Db } from "@/lib/db/prisma";
import { resolveOrgAccess } from "@/lib/accounts/access";
import { planBillable } from "@/lib/accounts/bill-to";
import { roleAtLeast } from "@/lib/accounts/roles";
import { AppError } from "@/lib/kernel/errors";

/**
 * Whose usage a caller may read: their own account, or with `billTo` an org they are a member
 * of (any role) on a paid plan. The one check behind every usage read (breakdown, forecast, savings).
 */
export async function usageAccountId(db: Db, input: { userId: string; billTo: string | null }) {
  if (input.billTo) {
    const access = await resolveOrgAccess(db, {
      userId: input.userId,
      orgName: input.billTo,
      required: "read",
    });
    if (!planBillable(access.account.plan)) {
      throw new AppError(
        403,
        "org_plan_required",
        `${access.org.name} is on the Free plan: usage breakdowns are for Team and Enterprise organizations.`,
      );
    }
    return access.account.id;
  }
  return (
    await db.billingAccount.findUniqueOrThrow({ where: { userId: input.userId }, select: { id: true } })
  ).id;
}

/**
 * Whose tokens a caller sees by token (GET /api/billing/usage?groupBy=token): their own; billed
 * to an org, its admins see every member's (by token name and last 4 only). Null: every member's.
 */
export async function tokenScope(db: Db, input: { userId: string; billTo: string | null }) {
  if (!input.billTo) return input.userId;
  const membership = await db.membership.findFirst({
    where: { userId: input.userId, org: { name: input.billTo } },
    select: { role: true },
  });
  return membership && roleAtLeast(membership.role, "admin") ? null : input.userId;
}
