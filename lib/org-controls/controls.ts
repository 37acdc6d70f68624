import type { Db } from "@/lib/db/prisma";
import { audit } from "@/lib/audit/log";
import { notFound } from "@/lib/kernel/errors";
import { roundNanoToCents } from "@/lib/money/units";
import { nextPeriod, periodStart } from "@/lib/kernel/period";

/** The org's monthly cap on pay-as-you-go, with what this month has spent and holds. */
export async function getSpendingLimit(db: Db, accountId: string, now: Date) {
  const period = periodStart(now);
  const [account, counters] = await Promise.all([
    db.billingAccount.findUniqueOrThrow({ where: { id: accountId }, select: { spendingLimitCents: true } }),
    db.accountPeriod.findUnique({ where: { accountId_period: { accountId, period } } }),
  ]);
  return {
    limitCents: account.spendingLimitCents,
    spentCents: Number(roundNanoToCents(counters?.paygNano ?? 0n)),
    reservedCents: Number(roundNanoToCents(counters?.reservedNano ?? 0n)),
    resetsAt: nextPeriod(period).toISOString(),
  };
}

/** Sets (or, with null, removes) the limit; takes effect for the next request. Audited. */
export async function setSpendingLimit(
  db: Db,
  input: { accountId: string; actorUserId: string; limitCents: number | null },
) {
  await db.$transaction(async (tx) => {
    const before = await tx.billingAccount.findUniqueOrThrow({
      where: { id: input.accountId },
      select: { spendingLimitCents: true },
    });
    await tx.billingAccount.update({
      where: { id: input.accountId },
      data: { spendingLimitCents: input.limitCents },
    });
    await audit(tx, {
      accountId: input.accountId,
      actorUserId: input.actorUserId,
      action: "spending_limit.update",
      before: { limitCents: before.spendingLimitCents },
      after: { limitCents: input.limitCents },
    });
  });
}

/** Every provider, with whether requests billed to this account may use it. */
export async function listProviderSettings(db: Db, accountId: string) {
  const [providers, disabled] = await Promise.all([
    db.provider.findMany({
      select: { id: true, displayName: true, billingIntegrated: true },
      orderBy: { id: "asc" },
    }),
    db.disabledProvider.findMany({ where: { accountId }, select: { providerId: true } }),
  ]);
  const off = new Set(disabled.map((d) => d.providerId));
  return providers.map((p) => ({ ...p, enabled: !off.has(p.id) }));
}

/** Switches a provider on or off for requests billed to the account. Audited when it changes. */
export async function setProviderEnabled(
  db: Db,
  input: { accountId: string; actorUserId: string; providerId: string; enabled: boolean },
) {
  return db.$transaction(async (tx) => {
    const provider = await tx.provider.findUnique({
      where: { id: input.providerId },
      select: { id: true, displayName: true, billingIntegrated: true },
    });
    if (!provider) throw notFound(`Provider ${input.providerId}`, { provider: input.providerId });
    // One conditional write: of parallel identical calls (a double click, two tabs) exactly one
    // changes the row and is audited; a read-then-write let them all try, and all but one fail.
    const changed = input.enabled
      ? await tx.$executeRaw`DELETE FROM disabled_providers WHERE account_id = ${input.accountId}::uuid AND provider_id = ${input.providerId}`
      : await tx.$executeRaw`INSERT INTO disabled_providers (account_id, provider_id, created_by_id)
          VALUES (${input.accountId}::uuid, ${input.providerId}, ${input.actorUserId}::uuid) ON CONFLICT DO NOTHING`;
    if (changed > 0) {
      await audit(tx, {
        accountId: input.accountId,
        actorUserId: input.actorUserId,
        action: input.enabled ? "provider.enable" : "provider.disable",
        target: input.providerId,
        before: { enabled: !input.enabled },
        after: { enabled: input.enabled },
      });
    }
    return { ...provider, enabled: input.enabled };
  });
}
