import { resolveOrgAccess } from "@/lib/accounts/access";
import { deleteOrgAlertWebhook, putOrgAlertWebhook } from "@/lib/api/contracts/alerts";
import { removeAlertWebhook, setAlertWebhook } from "@/lib/alerts/webhooks";
import { isProduction } from "@/lib/config/env";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { providerKeyRing } from "@/lib/keys/key-ring";

const adminAccess = (userId: string, orgName: string) =>
  resolveOrgAccess(getDb(), { userId, orgName, required: "admin" });

/** Sets where the org's alerts are posted. Admins only; audited; the secret is shown this once. */
export const PUT = route(putOrgAlertWebhook, async ({ principal, params, body }) => {
  const access = await adminAccess(principal.userId, params.org);
  return setAlertWebhook(getDb(), providerKeyRing(), {
    accountId: access.account.id,
    actorUserId: principal.userId,
    url: body.url,
    production: isProduction(),
  });
});

export const DELETE = route(deleteOrgAlertWebhook, async ({ principal, params }) => {
  const access = await adminAccess(principal.userId, params.org);
  await removeAlertWebhook(getDb(), { accountId: access.account.id, actorUserId: principal.userId });
});
