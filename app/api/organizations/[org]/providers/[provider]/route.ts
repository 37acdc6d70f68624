import { setOrgProvider } from "@/lib/api/contracts/org-controls";
import { getDb } from "@/lib/db/client";
import { resolveOrgAccess } from "@/lib/accounts/access";
import { route } from "@/lib/api/route";
import { setProviderEnabled } from "@/lib/org-controls/controls";

/** Enables or disables a provider for requests billed to the org. Admins only; audited. */
export const PUT = route(setOrgProvider, async ({ principal, params, body }) => {
  const db = getDb();
  const access = await resolveOrgAccess(db, {
    userId: principal.userId,
    orgName: params.org,
    required: "admin",
  });
  return setProviderEnabled(db, {
    accountId: access.account.id,
    actorUserId: principal.userId,
    providerId: params.provider,
    enabled: body.enabled,
  });
});
