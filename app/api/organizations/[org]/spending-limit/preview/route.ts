import { getDb } from "@/lib/db/client";
import { resolveOrgAccess } from "@/lib/accounts/access";
import { limitPreviewQuery, orgParams } from "@/lib/api/schemas";
import { appBillingNow } from "@/lib/billing/app-context";
import { route } from "@/lib/http/route";
import { previewLimitForAccount } from "@/lib/limits/preview-limit-data";

/** How last month's routed traffic would have fared under a proposed limit. Admins only; changes nothing. */
export const GET = route(
  { auth: "user", params: orgParams, query: limitPreviewQuery },
  async ({ principal, params, query }) => {
    const db = getDb();
    const access = await resolveOrgAccess(db, {
      userId: principal.userId,
      orgName: params.org,
      required: "admin",
    });
    return previewLimitForAccount(db, {
      accountId: access.account.id,
      now: await appBillingNow(db),
      limitCents: query.limitCents,
    });
  },
);
