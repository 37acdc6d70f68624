import { getOrgSpendingLimit, setOrgSpendingLimit } from "@/lib/api/contracts/org-controls";
import { getDb } from "@/lib/db/client";
import { resolveOrgAccess } from "@/lib/accounts/access";
import { route } from "@/lib/api/route";
import { getSpendingLimit, setSpendingLimit } from "@/lib/org-controls/controls";

/** The org's monthly spending limit, with this month's spend. Admins only. */
export const GET = route(getOrgSpendingLimit, async ({ principal, params }) => {
  const access = await resolveOrgAccess(getDb(), {
    userId: principal.userId,
    orgName: params.org,
    required: "admin",
  });
  return getSpendingLimit(getDb(), access.account.id, new Date());
});

/** Sets the limit in cents, or removes it with null. Admins only; audited. */
export const PUT = route(setOrgSpendingLimit, async ({ principal, params, body }) => {
  const db = getDb();
  const access = await resolveOrgAccess(db, {
    userId: principal.userId,
    orgName: params.org,
    required: "admin",
  });
  await setSpendingLimit(db, {
    accountId: access.account.id,
    actorUserId: principal.userId,
    limitCents: body.limitCents,
  });
  return getSpendingLimit(db, access.account.id, new Date());
});
