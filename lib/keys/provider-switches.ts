import type { Db } from "@/lib/db/prisma";
import { audit } from "@/lib/audit/log";
import { notFound } from "@/lib/kernel/errors";

/** Every catalog provider with whether the user has it switched on for their own requests. */
export async function listProviderSwitches(db: Db, userId: string) {
  const [providers, off] = await Promise.all([
    db.provider.findMany({
      select: { id: true, displayName: true, billingIntegrated: true },
      orderBy: { id: "asc" },
    }),
    db.userDisabledProvider.findMany({ where: { userId }, select: { providerId: true } }),
  ]);
  const disabled = new Set(off.map((d) => d.providerId));
  return { providers: providers.map((p) => ({ ...p, enabled: !disabled.has(p.id) })) };
}

/**
 * Switches a provider on or off for the user's own requests, wherever they are billed (an org's
 * switches apply on top). Idempotent: parallel calls change the row once and are audited once.
 */
export async function setProviderSwitch(
  db: Db,
  input: { userId: string; providerId: string; enabled: boolean },
) {
  const provider = await db.provider.findUnique({
    where: { id: input.providerId },
    select: { id: true, displayName: true, billingIntegrated: true },
  });
  if (!provider) throw notFound(`Provider ${input.providerId}`, { provider: input.providerId });
  await db.$transaction(async (tx) => {
    const changed = input.enabled
      ? await tx.$executeRaw`DELETE FROM user_disabled_providers WHERE user_id = ${input.userId}::uuid AND provider_id = ${input.providerId}`
      : await tx.$executeRaw`INSERT INTO user_disabled_providers (user_id, provider_id) VALUES (${input.userId}::uuid, ${input.providerId}) ON CONFLICT DO NOTHING`;
    if (changed === 0) return;
    const { billingAccount } = await tx.user.findUniqueOrThrow({
      where: { id: input.userId },
      select: { billingAccount: { select: { id: true } } },
    });
    await audit(tx, {
      accountId: billingAccount!.id,
      actorUserId: input.userId,
      action: input.enabled ? "own_provider.enable" : "own_provider.disable",
      target: input.providerId,
      before: { enabled: !input.enabled },
      after: { enabled: input.enabled },
    });
  });
  return { ...provider, enabled: input.enabled };
}
