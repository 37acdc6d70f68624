import type { Db } from "@/lib/db/prisma";
import { AppError } from "@/lib/http/errors";
import { resolveOrgAccess } from "@/lib/accounts/access";

export interface Payer {
  accountId: string;
  plan: "free" | "pro" | "team" | "enterprise";
  seats: number;
  /** The org named by X-HF-Bill-To, when the request is billed to one. */
  orgName: string | null;
  spendingLimitCents: number | null;
}

/**
 * Who pays for a request: the caller's own account, or the organization named by
 * `X-HF-Bill-To`, which the caller must be a member of and which must be on a paid plan.
 */
export async function resolvePayer(db: Db, input: { userId: string; billTo: string | null }): Promise<Payer> {
  if (!input.billTo) {
    const account = await db.billingAccount.findUniqueOrThrow({
      where: { userId: input.userId },
      select: { id: true, plan: true, seats: true, spendingLimitCents: true },
    });
    return {
      accountId: account.id,
      plan: account.plan,
      seats: account.seats,
      orgName: null,
      spendingLimitCents: account.spendingLimitCents,
    };
  }
  const access = await resolveOrgAccess(db, {
    userId: input.userId,
    orgName: input.billTo,
    required: "read",
  });
  if (access.account.plan === "free") {
    throw new AppError(
      403,
      "org_plan_required",
      `${access.org.name} is on the Free plan: only organizations on a Team or Enterprise plan can be billed. Ask an admin to upgrade, or drop the X-HF-Bill-To header to bill your own account.`,
      { org: access.org.name },
    );
  }
  const account = await db.billingAccount.findUniqueOrThrow({
    where: { id: access.account.id },
    select: { spendingLimitCents: true },
  });
  return {
    accountId: access.account.id,
    plan: access.account.plan,
    seats: access.account.seats,
    orgName: access.org.name,
    spendingLimitCents: account.spendingLimitCents,
  };
}
