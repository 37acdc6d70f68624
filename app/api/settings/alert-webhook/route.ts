import { deleteOwnAlertWebhook, putOwnAlertWebhook } from "@/lib/api/contracts/alerts";
import { removeAlertWebhook, setAlertWebhook } from "@/lib/alerts/webhooks";
import { resolveBillingAccount } from "@/lib/accounts/billing-access";
import { webhookPolicyFromEnv } from "@/lib/alerts/webhook-target";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/api/route";
import { providerKeyRing } from "@/lib/keys/key-ring";

/** Sets where the caller's own alerts are posted; the response is the only time the signing secret is shown. */
export const PUT = route(putOwnAlertWebhook, async ({ principal, body }) => {
  const { accountId } = await resolveBillingAccount(getDb(), { userId: principal.userId, org: null });
  return setAlertWebhook(getDb(), providerKeyRing(), {
    accountId,
    actorUserId: principal.userId,
    url: body.url,
    policy: webhookPolicyFromEnv(),
  });
});

export const DELETE = route(deleteOwnAlertWebhook, async ({ principal }) => {
  const { accountId } = await resolveBillingAccount(getDb(), { userId: principal.userId, org: null });
  await removeAlertWebhook(getDb(), { accountId, actorUserId: principal.userId });
});
