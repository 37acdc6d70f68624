import { readEnv } from "@/lib/config/env";
import type { Db } from "@/lib/db/prisma";
import { providerKeyRing } from "@/lib/keys/key-ring";
import { deliverDueAlerts, type DeliveryDeps } from "./deliver";
import { mailerFromEnv } from "./mailer";
import { queueAlertDeliveries } from "./queue";
import { webhookPolicyFromEnv } from "./webhook-target";

let fromEnv: DeliveryDeps | undefined;

/**
 * SMTP from SMTP_URL (or the in-app outbox), webhook secrets opened with the provider key ring,
 * webhooks limited to public https hosts (and ALERT_WEBHOOK_ALLOW_HOSTS).
 */
export function alertDepsFromEnv(): DeliveryDeps {
  fromEnv ??= {
    mailer: mailerFromEnv(readEnv()),
    ring: providerKeyRing(),
    webhookPolicy: webhookPolicyFromEnv(),
  };
  return fromEnv;
}

/** Queues the deliveries of new alerts, then sends what is due (the billing jobs run this each minute). */
export async function processAlerts(db: Db, deps: DeliveryDeps = alertDepsFromEnv()) {
  const queued = await queueAlertDeliveries(db);
  return { queued, ...(await deliverDueAlerts(db, deps)) };
}

/** After a settlement fired alerts: deliver them now, after the answer is sent. The job retries. */
export function processAlertsSoon(db: Db): void {
  void processAlerts(db).catch((e: unknown) => console.error("[alerts]", e));
}
