import type { Db, DbTx } from "@/lib/db/prisma";
import { audit } from "@/lib/audit/log";
import { notFound } from "@/lib/kernel/errors";
import { open, seal, type KeyRing } from "./crypto";

const context = (userId: string, providerId: string) => `${userId}:${providerId}`;

/** The user's keys as they may be shown: provider and last 4 characters, never the key. */
export async function listProviderKeys(db: Db, userId: string) {
  const keys = await db.providerKey.findMany({
    where: { userId },
    select: { providerId: true, last4: true, createdAt: true, updatedAt: true },
    orderBy: { providerId: "asc" },
  });
  return keys.map((k) => ({
    ...k,
    createdAt: k.createdAt.toISOString(),
    updatedAt: k.updatedAt.toISOString(),
  }));
}

/** Adds or replaces the user's key for a provider, encrypted, and records the change. */
export async function setProviderKey(
  db: Db,
  ring: KeyRing,
  input: { userId: string; providerId: string; key: string },
) {
  const provider = await db.provider.findUnique({ where: { id: input.providerId }, select: { id: true } });
  if (!provider) throw notFound(`Provider ${input.providerId}`, { provider: input.providerId });
  const sealed = seal(ring, input.key, context(input.userId, input.providerId));
  const data = {
    ciphertext: new Uint8Array(sealed.ciphertext),
    iv: new Uint8Array(sealed.iv),
    authTag: new Uint8Array(sealed.authTag),
    encryptionKeyId: sealed.keyId,
    last4: input.key.slice(-4),
  };
  return db.$transaction(async (tx) => {
    const before = await tx.providerKey.findUnique({
      where: { userId_providerId: { userId: input.userId, providerId: input.providerId } },
      select: { last4: true },
    });
    const saved = await tx.providerKey.upsert({
      where: { userId_providerId: { userId: input.userId, providerId: input.providerId } },
      create: { userId: input.userId, providerId: input.providerId, ...data },
      update: { ...data, updatedAt: new Date() },
      select: { providerId: true, last4: true, createdAt: true, updatedAt: true },
    });
    await auditKeyChange(tx, input, before ? "provider_key.replace" : "provider_key.create", before, {
      last4: saved.last4,
    });
    return { ...saved, createdAt: saved.createdAt.toISOString(), updatedAt: saved.updatedAt.toISOString() };
  });
}

export async function deleteProviderKey(db: Db, input: { userId: string; providerId: string }) {
  await db.$transaction(async (tx) => {
    const key = await tx.providerKey.findUnique({
      where: { userId_providerId: { userId: input.userId, providerId: input.providerId } },
      select: { id: true, last4: true },
    });
    if (!key) throw notFound(`Your key for ${input.providerId}`, { provider: input.providerId });
    await tx.providerKey.delete({ where: { id: key.id } });
    await auditKeyChange(tx, input, "provider_key.delete", { last4: key.last4 }, null);
  });
}

/** A user's key changed: recorded on their account, with the last 4 characters only, never the key. */
async function auditKeyChange(
  tx: DbTx,
  input: { userId: string; providerId: string },
  action: string,
  before: { last4: string } | null,
  after: { last4: string } | null,
) {
  const account = await tx.billingAccount.findUniqueOrThrow({
    where: { userId: input.userId },
    select: { id: true },
  });
  await audit(tx, {
    accountId: account.id,
    actorUserId: input.userId,
    action,
    target: input.providerId,
    before,
    after,
  });
}

/** The key in clear, for the router only (never returned by any API). */
export async function providerKeyPlaintext(
  db: Db,
  ring: KeyRing,
  input: { userId: string; providerId: string },
) {
  const row = await db.providerKey.findUnique({
    where: { userId_providerId: { userId: input.userId, providerId: input.providerId } },
    omit: { ciphertext: false, iv: false, authTag: false },
  });
  if (!row) return null;
  return open(
    ring,
    {
      ciphertext: Buffer.from(row.ciphertext),
      iv: Buffer.from(row.iv),
      authTag: Buffer.from(row.authTag),
      keyId: row.encryptionKeyId,
    },
    context(input.userId, input.providerId),
  );
}
