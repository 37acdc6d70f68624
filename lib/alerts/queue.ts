import type { Db } from "@/lib/db/prisma";
import { alertPayload, alertText, alertTitle, type AlertFacts } from "./messages";

/**
 * Turns new alerts into deliveries: an email to the account's owner (a personal account) or to
 * every admin (an org), and a webhook call when the account set one. Each alert is queued once:
 * its deliveries and its queued_at are written in one transaction, deliveries are unique per
 * recipient, and two instances queueing at once skip each other's rows.
 */
export async function queueAlertDeliveries(db: Db): Promise<number> {
  let queued = 0;
  for (let batch = 0; batch < 20; batch++) {
    const n = await queueBatch(db);
    queued += n;
    if (n < BATCH) break;
  }
  return queued;
}

const BATCH = 200;

function queueBatch(db: Db): Promise<number> {
  return db.$transaction(
    async (tx) => {
      const alerts = await tx.$queryRaw<(AlertFacts & { emails: string[]; webhookUrl: string | null })[]>`
      SELECT al.id, al.account_id AS "accountId", o.name AS "orgName", al.period, al.kind::text AS kind,
             al.level::int AS level, al.used_nano AS "usedNano", al.cap_nano AS "capNano", al.created_at AS "createdAt",
             CASE WHEN a.kind = 'user' THEN ARRAY[u.email]
                  ELSE ARRAY(SELECT mu.email FROM memberships m JOIN users mu ON mu.id = m.user_id
                             WHERE m.org_id = a.org_id AND m.role = 'admin' ORDER BY mu.email) END AS emails,
             w.url AS "webhookUrl"
      FROM alerts al
      JOIN billing_accounts a ON a.id = al.account_id
      LEFT JOIN users u ON u.id = a.user_id
      LEFT JOIN organizations o ON o.id = a.org_id
      LEFT JOIN alert_webhooks w ON w.account_id = al.account_id
      WHERE al.queued_at IS NULL
      ORDER BY al.created_at
      LIMIT ${BATCH}
      FOR UPDATE OF al SKIP LOCKED`;
      for (const alert of alerts) {
        const subject = alertTitle(alert);
        const deliveries = [
          ...alert.emails.map((email) => ({
            channel: "email" as const,
            recipient: email,
            body: `${alertText(alert)}\n\nSee your usage: /settings/inference-providers`,
          })),
          ...(alert.webhookUrl
            ? [{ channel: "webhook" as const, recipient: alert.webhookUrl, body: alertPayload(alert) }]
            : []),
        ];
        await tx.alertDelivery.createMany({
          data: deliveries.map((d) => ({ accountId: alert.accountId, alertId: alert.id, subject, ...d })),
          skipDuplicates: true,
        });
      }
      if (alerts.length > 0) {
        await tx.alert.updateMany({
          where: { id: { in: alerts.map((a) => a.id) }, queuedAt: null },
          data: { queuedAt: new Date() },
        });
      }
      return alerts.length;
    },
    { timeout: 30_000 },
  );
}
