import { deleteOwnAlertWebhook, putOwnAlertWebhook } from "@/lib/api/contracts/alerts";
import { removeAlertWebhook, setAlertWebhook } from "@/lib/alerts/webhooks";
import { isProduction } from "@/lib/config/env";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { providerKeyRing } from "@/lib/keys/key-ring";

const ownAccount = (userId: string) =>
  getDb().billingAccount.findUniqueOrThrow({ where: { userId }, select: { id: true } });

/** Sets where the caller's own alerts are posted; the response is the only time the signing secret is shown. */
export const PUT = route(putOwnAlertWebhook, async ({ principal, body }) => {
  const account = await ownAccount(principal.userId);
  return setAlertWebhook(getDb(), providerKeyRing(), {
    accountId: account.id,
    actorUserId: principal.userId,
    url: body.url,
    production: isProduction(),
  });
});

export const DELETE = route(deleteOwnAlertWebhook, async ({ principal }) => {
  const account = await ownAccount(principal.userId);
  await removeAlertWebhook(getDb(), { accountId: account.id, actorUserId: principal.userId });
});
