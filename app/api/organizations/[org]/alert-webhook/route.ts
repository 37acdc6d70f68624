import { deleteOrgAlertWebhook, putOrgAlertWebhook } from "@/lib/api/contracts/alerts";
import { removeAlertWebhook, setAlertWebhook } from "@/lib/alerts/webhooks";
import { resolveBillingAccount } from "@/lib/accounts/billing-access";
import { webhookPolicyFromEnv } from "@/lib/alerts/webhook-target";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/api/route";
import { providerKeyRing } from "@/lib/keys/key-ring";

/** Sets where the org's alerts are posted. Admins only; audited; the secret is shown this once. */
export const PUT = route(putOrgAlertWebhook, async ({ principal, params, body }) => {
  const { accountId } = await resolveBillingAccount(getDb(), { userId: principal.userId, org: params.org });
  return setAlertWebhook(getDb(), providerKeyRing(), {
    accountId,
    actorUserId: principal.userId,
    url: body.url,
    policy: webhookPolicyFromEnv(),
  });
});

export const DELETE = route(deleteOrgAlertWebhook, async ({ principal, params }) => {
  const { accountId } = await resolveBillingAccount(getDb(), { userId: principal.userId, org: params.org });
  await removeAlertWebhook(getDb(), { accountId, actorUserId: principal.userId });
});
