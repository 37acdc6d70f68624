import { resolveOrgAccess } from "@/lib/accounts/access";
import { alertWebhookBody, removeAlertWebhook, setAlertWebhook } from "@/lib/alerts/webhooks";
import { orgParams } from "@/lib/api/schemas";
import { isProduction } from "@/lib/config/env";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { providerKeyRing } from "@/lib/keys/key-ring";

/** Sets where the org's alerts are posted. Admins only; audited; the secret is shown this once. */
export const PUT = route(
  { auth: "user", params: orgParams, body: alertWebhookBody({ production: isProduction() }) },
  async ({ principal, params, body }) => {
    const access = await resolveOrgAccess(getDb(), {
      userId: principal.userId,
      orgName: params.org,
      required: "admin",
    });
    return setAlertWebhook(getDb(), providerKeyRing(), {
      accountId: access.account.id,
      actorUserId: principal.userId,
      url: body.url,
    });
  },
);

export const DELETE = route({ auth: "user", params: orgParams }, async ({ principal, params }) => {
  const access = await resolveOrgAccess(getDb(), {
    userId: principal.userId,
    orgName: params.org,
    required: "admin",
  });
  await removeAlertWebhook(getDb(), { accountId: access.account.id, actorUserId: principal.userId });
});
