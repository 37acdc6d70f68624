import { randomBytes } from "node:crypto";
import { audit } from "@/lib/audit/log";
import { lockAccount } from "@/lib/db/account-lock";
import { AppError } from "@/lib/kernel/errors";
import type { Db } from "@/lib/db/prisma";
import { seal, type KeyRing } from "@/lib/keys/crypto";
import { checkWebhookTarget, type WebhookPolicy } from "./webhook-target";

/** The sealed secret is bound to its account: moved to another account's row, it will not open. */
export const webhookSecretContext = (accountId: string) => `alert-webhook:${accountId}`;

/**
 * Sets the account's alert webhook with a new signing secret, returned this once (stored
 * sealed, shown afterwards by its last 4 characters). Audited without the secret. The URL must
 * pass the outbound policy (https, public addresses); each delivery checks it again.
 */
export async function setAlertWebhook(
  db: Db,
  ring: KeyRing,
  input: { accountId: string; actorUserId: string; url: string; policy: WebhookPolicy },
): Promise<{ url: string; secret: string; secretLast4: string; updatedAt: string }> {
  const target = await checkWebhookTarget(input.url, input.policy);
  if (!target.ok) throw refused(target.reason === "scheme" ? SCHEME : ADDRESS);
  const secret = `whsec_${randomBytes(24).toString("base64url")}`;
  const sealed = seal(ring, secret, webhookSecretContext(input.accountId));
  const data = {
    url: input.url,
    secretCiphertext: new Uint8Array(sealed.ciphertext),
    secretIv: new Uint8Array(sealed.iv),
    secretAuthTag: new Uint8Array(sealed.authTag),
    encryptionKeyId: sealed.keyId,
    secretLast4: secret.slice(-4),
    updatedById: input.actorUserId,
    updatedAt: new Date(),
  };
  return db.$transaction(async (tx) => {
    // Two saves at once (a double click): one after the other, each audited with the one before.
    await lockAccount(tx, input.accountId);
    const before = await tx.alertWebhook.findUnique({ where: { accountId: input.accountId } });
    const saved = await tx.alertWebhook.upsert({
      where: { accountId: input.accountId },
      create: { accountId: input.accountId, ...data },
      update: data,
    });
    await audit(tx, {
      accountId: input.accountId,
      actorUserId: input.actorUserId,
      action: "alerts.webhook.update",
      before: before ? { url: before.url, secretLast4: before.secretLast4 } : null,
      after: { url: saved.url, secretLast4: saved.secretLast4 },
    });
    return {
      url: saved.url,
      secretLast4: saved.secretLast4,
      updatedAt: saved.updatedAt.toISOString(),
      secret,
    };
  });
}

const SCHEME = "Use an https:// URL: alerts carry billing facts and only travel encrypted.";
// One message for a private address and for a name that does not resolve: the answer must not
// tell which internal names exist.
const ADDRESS =
  "The webhook's host must resolve to public internet addresses only: loopback, private, link-local and reserved addresses are refused.";

const refused = (message: string) =>
  new AppError(400, "webhook_url_refused", message, { issues: [{ path: "body.url", message }] });

export async function removeAlertWebhook(db: Db, input: { accountId: string; actorUserId: string }) {
  await db.$transaction(async (tx) => {
    // Of two removals at once, the second finds nothing to remove (and audits nothing).
    await lockAccount(tx, input.accountId);
    const before = await tx.alertWebhook.findUnique({ where: { accountId: input.accountId } });
    if (!before) return;
    await tx.alertWebhook.delete({ where: { accountId: input.accountId } });
    await audit(tx, {
      accountId: input.accountId,
      actorUserId: input.actorUserId,
      action: "alerts.webhook.delete",
      before: { url: before.url, secretLast4: before.secretLast4 },
      after: null,
    });
  });
}
