import { raw, type RawSql } from "@/lib/db/sql";
import { AppError } from "@/lib/kernel/errors";
import { notOrgMember } from "./access";

/** Whether an account on `plan` can be billed for usage: Free organizations cannot. */
export const planBillable = (plan: string) => plan !== "free";

export const orgPlanRequired = (org: string) =>
  new AppError(
    403,
    "org_plan_required",
    `${org} is on the Free plan: only organizations on a Team or Enterprise plan can be billed. Ask an admin to upgrade, or bill your own account instead.`,
    { org },
  );

/**
 * THE rule for billing usage to an organization: the caller is a member of it, in any role (read
 * from the database now, never from a session), and it is on a paid plan. Returns the error that
 * refuses the request, or null. The router's one-statement admission (lib/ledger/payer.ts) checks
 * it in SQL with orgBillableSql, its twin (lib/accounts/bill-to.int.test.ts runs both on the
 * same inputs).
 */
export function orgBillingRefusal(org: {
  name: string;
  plan: string;
  memberRole: string | null;
}): AppError | null {
  if (org.memberRole === null) return notOrgMember(org.name);
  if (!planBillable(org.plan)) return orgPlanRequired(org.name);
  return null;
}

/** orgBillingRefusal(...) === null as a SQL boolean over the given SQL expressions. */
export function orgBillableSql(e: { plan: string; memberRole: string }): RawSql {
  return raw(`((${e.memberRole}) IS NOT NULL AND (${e.plan}) <> 'free')`);
}
