import type { Db } from "@/lib/db/prisma";
import { open, type KeyRing } from "@/lib/keys/crypto";
import type { Mailer } from "./mailer";
import { SIGNATURE_HEADER, signWebhook } from "./signature";
import { postWebhook } from "./webhook-post";
import {
  checkWebhookTarget,
  webhookPolicyFromEnv,
  type WebhookPolicy,
  type WebhookTarget,
} from "./webhook-target";
import { webhookSecretContext } from "./webhooks";

/** Attempts before a delivery is marked failed; the waits between them double from `backoffMs`. */
export const MAX_ATTEMPTS = 6;

export interface DeliveryDeps {
  mailer: Mailer;
  ring: KeyRing;
  /** The first retry's wait; each next one doubles it (1 min, 2, 4, 8, 16 by default). */
  backoffMs?: number;
  /** How long a webhook endpoint may take to answer (5 s by default). */
  timeoutMs?: number;
  /** Where webhooks may go; checked again at each delivery. Default: from the environment. */
  webhookPolicy?: WebhookPolicy;
}

/** A failure whose message is ours to show on the notifications page; any other stays in the logs. */
class DeliveryFailure extends Error {}

interface Claimed {
  account_id: string;
  id: string;
  channel: "email" | "webhook";
  recipient: string;
  subject: string;
  body: string;
  attempts: number;
}

/**
 * Sends the deliveries that are due. Each is claimed first (its attempt counted and its next
 * attempt pushed past the send's timeout, in one statement that skips rows another instance
 * claimed), then sent, then marked: sent; kept in the outbox (an email with no SMTP server);
 * or retried later with a doubled wait, until MAX_ATTEMPTS, then failed. A process that dies
 * mid-send leaves its claim to expire and the delivery is tried again: a webhook receiver
 * should treat the delivery id (header x-billing-delivery) as idempotency key.
 */
export async function deliverDueAlerts(db: Db, deps: DeliveryDeps) {
  const backoffMs = deps.backoffMs ?? 60_000;
  const timeoutMs = deps.timeoutMs ?? 5_000;
  // What was due when the call began, in batches; a delivery retried meanwhile waits for the next call.
  const dueBy = new Date();
  const counts = { sent: 0, outbox: 0, retrying: 0, failed: 0 };
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const claimed = await db.$queryRaw<Claimed[]>`
      UPDATE alert_deliveries d SET attempts = d.attempts + 1,
        next_attempt_at = now() + make_interval(secs => ${(timeoutMs + 30_000) / 1000})
      FROM (SELECT account_id, id FROM alert_deliveries
            WHERE status = 'pending' AND next_attempt_at <= ${dueBy}
            ORDER BY next_attempt_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED) due
      WHERE d.account_id = due.account_id AND d.id = due.id
      RETURNING d.account_id, d.id, d.channel::text AS channel, d.recipient, d.subject, d.body, d.attempts`;
    for (const d of claimed) counts[await attempt(db, d, deps, { backoffMs, timeoutMs })] += 1;
    if (claimed.length < BATCH) break;
  }
  return counts;
}

const BATCH = 50;
/** At most this many batches a call: the job runs every minute, and picks up the rest. */
const MAX_BATCHES = 20;

/** Sends one claimed delivery and records how it went. */
async function attempt(
  db: Db,
  d: Claimed,
  deps: DeliveryDeps,
  opts: { backoffMs: number; timeoutMs: number },
): Promise<"sent" | "outbox" | "retrying" | "failed"> {
  const where = { accountId_id: { accountId: d.account_id, id: d.id } };
  try {
    const outcome = await send(db, d, deps, opts.timeoutMs);
    await db.alertDelivery.update({
      where,
      data: { status: outcome, sentAt: outcome === "sent" ? new Date() : null, lastError: null },
    });
    return outcome;
  } catch (e) {
    if (!(e instanceof DeliveryFailure)) console.error("[alerts] delivery", d.id, e);
    const error = e instanceof DeliveryFailure ? e.message : "The delivery failed.";
    const failed = d.attempts >= MAX_ATTEMPTS;
    await db.alertDelivery.update({
      where,
      data: failed
        ? { status: "failed", lastError: error }
        : { lastError: error, nextAttemptAt: new Date(Date.now() + opts.backoffMs * 2 ** (d.attempts - 1)) },
    });
    return failed ? "failed" : "retrying";
  }
}

async function send(db: Db, d: Claimed, deps: DeliveryDeps, timeoutMs: number): Promise<"sent" | "outbox"> {
  if (d.channel === "email") {
    if (!deps.mailer) return "outbox";
    try {
      await deps.mailer({ to: d.recipient, subject: d.subject, text: d.body });
    } catch (e) {
      console.error("[alerts] email", d.id, e);
      throw new DeliveryFailure("The email could not be sent.");
    }
    return "sent";
  }
  const hook = await db.alertWebhook.findUnique({
    where: { accountId: d.account_id },
    omit: { secretCiphertext: false, secretIv: false, secretAuthTag: false },
  });
  if (!hook || hook.url !== d.recipient) {
    throw new DeliveryFailure("The webhook was removed or changed; not sent.");
  }
  const secret = open(
    deps.ring,
    {
      ciphertext: Buffer.from(hook.secretCiphertext),
      iv: Buffer.from(hook.secretIv),
      authTag: Buffer.from(hook.secretAuthTag),
      keyId: hook.encryptionKeyId,
    },
    webhookSecretContext(d.account_id),
  );
  // One deadline for resolving and answering: a resolver that hangs counts against it too.
  const deadline = AbortSignal.timeout(timeoutMs);
  const timedOut = new Promise<WebhookTarget>((resolve) =>
    deadline.addEventListener("abort", () => resolve({ ok: false, reason: "unresolved" })),
  );
  // Checked again now: the host may resolve elsewhere than when it was saved (DNS rebinding).
  const policy = deps.webhookPolicy ?? webhookPolicyFromEnv();
  const target = await Promise.race([checkWebhookTarget(d.recipient, policy), timedOut]);
  if (!target.ok && target.reason !== "unresolved") {
    throw new DeliveryFailure("Refused by policy: the webhook's address is not allowed; not sent.");
  }
  const status = target.ok
    ? await postWebhook(target, {
        headers: {
          "content-type": "application/json",
          "user-agent": "billing-alerts/1",
          "x-billing-delivery": d.id,
          [SIGNATURE_HEADER]: signWebhook(secret, d.body, new Date()),
        },
        body: d.body,
        signal: deadline,
      })
    : null;
  // Only the status code is kept: no network error text that would tell a closed port from a filtered one.
  if (status === null) throw new DeliveryFailure("The endpoint could not be reached.");
  if (status < 200 || status > 299) throw new DeliveryFailure(`The endpoint answered ${status}.`);
  return "sent";
}
